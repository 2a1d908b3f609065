export * from './business-days.js';
export * from './evaluation.commands.js';
export * from './evaluation.decide.js';
export * from './evaluation.errors.js';
export * from './evaluation.events.js';
export * from './evaluation.evolve.js';
export * from './evaluation.state.js';
export { EVALUATION_LIMITS } from './evaluation.validate.js';
