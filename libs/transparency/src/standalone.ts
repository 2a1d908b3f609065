// The parts of the transparency log that run without the server's libraries (no Nest, no
// PostgreSQL), so the tools built on them start fast: the offline verifier of export bundles,
// the mirror that follows a log through its tiles, and the witness that cosigns it.
export { TransparencyError, UnusableFolderError } from './support/errors.js';
export { fileProblem, messageOf } from './support/text.js';
export {
  DEFAULT_CHUNK_BYTES,
  verifyBundleDir,
  type BundleVerification,
  type VerifyBundleOptions,
} from './verify/verify-bundle-dir.js';
export {
  FORK_EVIDENCE,
  ForkDetected,
  MIRROR_STATE,
  syncMirror,
  type MirrorSummary,
} from './mirror/mirror-dir.js';
export {
  HttpResources,
  MAX_RESOURCE_BYTES,
  type HttpResourcesOptions,
} from './mirror/http-resources.js';
export { LogClient } from './witness/log-client.js';
export {
  parseWitnessState,
  readWitnessState,
  WITNESS_STATE_FORMAT,
  writeWitnessState,
  type WitnessState,
} from './witness/witness-state.js';
export {
  PinnedKeyConflictError,
  witnessRound,
  WitnessRefusal,
  type WitnessOutcome,
  type WitnessRoundOptions,
} from './witness/witness-round.js';
export { originHash, WitnessedLogs } from './witness/witnessed-logs.js';
export { createWitnessServer, type WitnessServerOptions } from './witness/witness-server.js';
