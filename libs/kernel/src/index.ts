// The shared kernel every context's domain builds on. Pure TypeScript: no framework, no
// database, no Node built-in, so a domain that imports it stays pure too.
export * from './async/fresh-reads.js';
export * from './async/single-flight.js';
export * from './calendar/calendar.js';
export * from './decider/decider.js';
export * from './diff/state-diff.js';
export * from './errors/domain-error.js';
export * from './errors/invalid-command.js';
export * from './identity/agency-id.js';
export * from './validation/json.js';
export * from './validation/validators.js';
