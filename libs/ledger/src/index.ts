export * from './errors.js';
export { toBase64, fromBase64 } from './encoding/base64.js';
export { bytesEqual, concatBytes, fromHex, toHex, utf8 } from './encoding/bytes.js';
export { hasLoneSurrogate } from './encoding/text.js';
export { canonicalize, canonicalBytes, isCanonicalJson } from './jcs/canonicalize.js';
export {
  leafBytesOf,
  parseEventEnvelope,
  type EventActor,
  type EventEnvelope,
  type EventMetadata,
  type JsonObject,
  type JsonValue,
} from './event/envelope.js';
export { emptyRoot, HASH_SIZE, leafHash, leafHashOfText, nodeHash, rootOf } from './merkle/hash.js';
export { completedBy, decompose, storedAt, type NodeId } from './merkle/node-id.js';
export { CompactRange } from './merkle/compact-range.js';
export {
  consistencyProofLength,
  inclusionProofLength,
  planConsistency,
  planInclusion,
  type ProofPlan,
} from './merkle/proof-plan.js';
export {
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  type ConsistencyOptions,
  type ConsistencyProofInput,
  type InclusionProofInput,
} from './merkle/verify.js';
export {
  COSIGNATURE_V1_TYPE,
  ED25519_TYPE,
  formatKeyId,
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  keyIdFor,
  keyNameProblem,
  parseSignerKey,
  parseVerifierKey,
  parseWitnessKey,
  verifierKeyFor,
  witnessVerifierKeyFor,
  type KeyAlgorithm,
  type SignerKey,
  type VerifierKey,
} from './note/keys.js';
export {
  cosignatureMessage,
  MAX_NOTE_SIGNATURES,
  openNote,
  signNote,
  type NoteSignature,
  type OpenedNote,
  type VerifiedSignature,
} from './note/note.js';
export {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  type Checkpoint,
  type OpenedCheckpoint,
} from './checkpoint/checkpoint.js';
export {
  cosignCheckpoint,
  verifyCosignature,
  type VerifiedCosignature,
} from './checkpoint/cosignature.js';
export {
  formatTlogProof,
  parseTlogProof,
  verifyTlogProof,
  type TlogProof,
  type VerifiedTlogProof,
} from './checkpoint/tlog-proof.js';
export {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_V1,
  formatCheckpointRecord,
  hasSignedLeaves,
  parseBundleKeys,
  parseCheckpointRecord,
  parseManifest,
  type BundleKeys,
  type BundleManifest,
  type CheckpointRecord,
} from './bundle/layout.js';
export { VerificationError, type MismatchLocation } from './bundle/verification-error.js';
export { eventLineLeafHash, leafHashesOf, signedLeafAt } from './bundle/leaf-hashes.js';
export {
  assertWholeLeaves,
  BundleVerifier,
  linesOf,
  verifyBundle,
  type BundleSummary,
  type BundleVerifierOptions,
} from './bundle/bundle-verifier.js';
export {
  bundleRange,
  decodeEntryBundle,
  decodeTile,
  encodeEntryBundle,
  encodeTile,
  formatTileIndex,
  formatTilePath,
  MAX_ENTRY_BYTES,
  MAX_TILE_LEVEL,
  parseTilePath,
  TILE_HEIGHT,
  TILE_WIDTH,
  tileNodes,
  tilesOf,
  tileWidthIn,
  treeHolds,
  type Tile,
} from './tiles/tiles.js';
export { encodeEventBundle } from './tiles/event-bundle.js';
export {
  CHECK_ELSEWHERE_FROM,
  followLog,
  LogForkError,
  MirrorError,
  type EntryChecker,
  type FollowResult,
  type HeldLog,
  type MirroredTile,
} from './mirror/follow.js';
export {
  checkGrowth,
  decodeProofHashes,
  nextWitnessStep,
  type CosignedCheckpoint,
  type ServedCheckpoint,
  type WitnessStep,
} from './witness/witness-rules.js';
export {
  decideAddCheckpoint,
  formatAddCheckpointRequest,
  MAX_ADD_CHECKPOINT_PROOF_LINES,
  originOf,
  parseAddCheckpointRequest,
  TLOG_SIZE_CONTENT_TYPE,
  type AddCheckpointDecision,
  type AddCheckpointRefusal,
  type AddCheckpointRequest,
  type WitnessedCheckpoint,
} from './witness/add-checkpoint.js';
