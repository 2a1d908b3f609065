export * from './red-flag.rules.js';
export * from './red-flag.fold.js';
export * from './red-flag.evaluate.js';
export * from './red-flag-justification.js';
export * from './red-flag.summaries.js';
