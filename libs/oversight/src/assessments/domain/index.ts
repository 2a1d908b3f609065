export * from './assessment.commands.js';
export * from './assessment.decide.js';
export * from './assessment.events.js';
export * from './assessment.evolve.js';
export * from './assessment.state.js';
export * from './assessment.summaries.js';
