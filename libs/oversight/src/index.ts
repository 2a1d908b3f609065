// The oversight context's public surface: other contexts and apps import only this.
export { oversightContext } from './oversight.context.js';
export { OversightModule } from './oversight.module.js';
