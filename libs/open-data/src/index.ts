// The open-data context's public surface: other contexts and apps import only this.
export { openDataContext } from './open-data.context.js';
export { OpenDataModule } from './open-data.module.js';
export * from './packages/index.js';
