// The oversight context's public surface: other contexts and apps import only this.
export { oversightContext } from './oversight.context.js';
export { OversightModule } from './oversight.module.js';
export { redFlagFilesReadModel } from './red-flags/read-models/red-flag-files/red-flag-files.read-model.js';
export { RedFlagFilesProjection } from './red-flags/read-models/red-flag-files/red-flag-files.projection.js';
