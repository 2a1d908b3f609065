// The participation context's public surface: other contexts and apps import only this.
export { participationContext } from './participation.context.js';
export { ParticipationModule } from './participation.module.js';
export * from './dialogue/index.js';
