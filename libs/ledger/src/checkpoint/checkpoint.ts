import { fromBase64, toBase64 } from '../encoding/base64.js';
import { hasControlCharacter, hasLoneSurrogate } from '../encoding/text.js';
import {
  InvalidArgumentError,
  MalformedCheckpointError,
  OriginMismatchError,
  UnverifiedNoteError,
} from '../errors.js';
import { parseVerifierKey, parseWitnessKey, type VerifierKey } from '../note/keys.js';
import { openNote, type OpenedNote, type VerifiedSignature } from '../note/note.js';

/** A transparency log checkpoint (c2sp.org/tlog-checkpoint): the tree head the log signs. */
export interface Checkpoint {
  /** Unique identifier of the log, e.g. `cuenta.cartagena.gov.co/log`. */
  readonly origin: string;
  /** Number of leaves. */
  readonly size: number;
  /** RFC 9162 root hash of the tree of `size` leaves, 32 bytes. */
  readonly rootHash: Uint8Array;
  /** Opaque extension lines (not recommended by the spec; never empty lines). */
  readonly extensions?: readonly string[];
}

/**
 * The checkpoint note body: `<origin>\n<size>\n<base64(root)>\n` then one line per extension.
 * Preconditions (else InvalidArgumentError): a non-empty origin and extension lines without
 * control characters, a size that is a non-negative safe integer, a 32-byte root.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  for (const [what, line] of [['origin', origin], ...extensions.map((e) => ['extension', e])]) {
    if (
      typeof line !== 'string' ||
      line === '' ||
      hasControlCharacter(line) ||
      hasLoneSurrogate(line)
    ) {
      throw new InvalidArgumentError(`checkpoint ${what} lines must be non-empty text on one line`);
    }
  }
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new InvalidArgumentError(`checkpoint size must be a non-negative integer, got ${size}`);
  }
  if (!ArrayBuffer.isView(rootHash) || rootHash.length !== 32) {
    throw new InvalidArgumentError('checkpoint root hash must be 32 bytes');
  }
  return [origin, String(size), toBase64(rootHash), ...extensions].join('\n') + '\n';
}

/**
 * Parses a checkpoint note body (the signed text, not the signature lines). Strict: at least
 * three lines, each ending in a newline, none empty; a decimal size without leading zeros
 * (and at most 2^53 - 1); a root that is standard base64 of exactly 32 bytes.
 * Throws MalformedCheckpointError.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) {
    throw new MalformedCheckpointError('the body must end with a newline');
  }
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new MalformedCheckpointError('expected origin, size and root lines');
  if (lines.some((line) => line === '')) {
    throw new MalformedCheckpointError('lines must not be empty');
  }
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) {
    throw new MalformedCheckpointError(`size "${sizeLine}" is not a decimal without leading zeros`);
  }
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) {
    throw new MalformedCheckpointError(`size ${sizeLine} is beyond 2^53 - 1`);
  }
  const rootHash = fromBase64(rootLine);
  if (rootHash === undefined || rootHash.length !== 32) {
    throw new MalformedCheckpointError('the root hash is not base64 of 32 bytes');
  }
  return extensions.length > 0
    ? { origin, size, rootHash, extensions }
    : { origin, size, rootHash };
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The note body, exactly as signed. */
  readonly body: string;
  readonly note: OpenedNote;
  /** Verified witness cosignatures (cosignature/v1), one per witness key. */
  readonly cosignatures: readonly VerifiedSignature[];
}

/**
 * Opens a signed checkpoint: the log's signature (by `logKey`, an Ed25519 vkey) must be present
 * and valid, the body must be a checkpoint for `origin`, and every signature by one of
 * `witnessKeys` (see parseWitnessKey) must be a valid cosignature. Signatures by other keys are
 * ignored. Throws UnverifiedNoteError when the log did not sign, InvalidSignatureError,
 * MalformedNoteError, MalformedCheckpointError or OriginMismatchError.
 */
export function openCheckpoint(args: {
  note: string;
  origin: string;
  logKey: string | VerifierKey;
  witnessKeys?: readonly (string | VerifierKey)[];
}): OpenedCheckpoint {
  const logKey = typeof args.logKey === 'string' ? parseVerifierKey(args.logKey) : args.logKey;
  if (logKey.algorithm !== 'ed25519') {
    throw new InvalidArgumentError('the log key must be an Ed25519 note key (type 0x01)');
  }
  const witnesses = (args.witnessKeys ?? []).map((k) =>
    typeof k === 'string' ? parseWitnessKey(k) : k,
  );
  const note = openNote(args.note, [logKey, ...witnesses]);
  const logSigned = note.verified.some(
    (s) => s.algorithm === 'ed25519' && s.name === logKey.name && s.keyId === logKey.keyId,
  );
  if (!logSigned) {
    throw new UnverifiedNoteError(
      note.unverified.map((s) => `${s.name}+${s.keyId.toString(16).padStart(8, '0')}`),
    );
  }
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== args.origin) {
    throw new OriginMismatchError({ expected: args.origin, actual: checkpoint.origin });
  }
  return {
    checkpoint,
    body: note.text,
    note,
    cosignatures: note.verified.filter((s) => s.algorithm === 'cosignature/v1'),
  };
}
