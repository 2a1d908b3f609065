export * from './dialogue-space.commands.js';
export * from './dialogue-space.decide.js';
export * from './dialogue-space.errors.js';
export * from './dialogue-space.events.js';
export * from './dialogue-space.evolve.js';
export * from './dialogue-space.state.js';
