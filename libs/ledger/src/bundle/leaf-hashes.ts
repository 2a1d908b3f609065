import { LedgerError } from '../errors.js';
import { parseEventEnvelope } from '../event/envelope.js';
import { isCanonicalJson } from '../jcs/canonicalize.js';
import { toBase64 } from '../encoding/base64.js';
import { bytesEqual } from '../encoding/bytes.js';
import { HASH_SIZE, leafHash, leafHashOfText } from '../merkle/hash.js';
import { BUNDLE_FILES } from './layout.js';
import { VerificationError } from './verification-error.js';

/**
 * Checks one events.jsonl line (without its newline) and returns its leaf hash. The line must
 * be JSON, an event envelope of the fixed shape, at `position`, and byte-for-byte its own
 * RFC 8785 canonical form (so the bytes hashed are the bytes the log hashed). With
 * `signedLeaf` (its 32 bytes from leaves.bin), the leaf hash must also be that one; `null`
 * says leaves.bin has no leaf there. Throws a VerificationError naming the line, the position
 * and, when readable, the event id; a line that only differs from `signedLeaf` has
 * `kind: 'leaf'`. `bytes`, when the caller read the line as bytes, must be its UTF-8 (each
 * line decoded from them with a fatal decoder is): they are hashed as they are rather than
 * encoded again.
 */
export function eventLineLeafHash(args: {
  line: string;
  bytes?: Uint8Array;
  position: number;
  lineNumber: number;
  signedLeaf?: Uint8Array | null;
}): Uint8Array {
  const { line, bytes, position, lineNumber, signedLeaf } = args;
  const fail = (reason: string, eventId?: string, cause?: unknown) =>
    new VerificationError(
      { file: BUNDLE_FILES.events, lineNumber, position, eventId, reason },
      { cause },
    );
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw fail('not valid JSON');
  }
  const id = idOf(value);
  let canonical: boolean;
  try {
    const envelope = parseEventEnvelope(value);
    if (envelope.position !== position) {
      throw fail(`envelope says position ${envelope.position}, expected ${position}`, id);
    }
    canonical = isCanonicalJson(line, envelope);
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    if (error instanceof LedgerError) throw fail(error.message, id, error);
    throw error;
  }
  if (!canonical) throw fail('the line is not RFC 8785 canonical JSON', id);
  const hash = bytes === undefined ? leafHashOfText(line) : leafHash(bytes);
  if (signedLeaf === null) {
    throw new VerificationError({
      file: BUNDLE_FILES.events,
      lineNumber,
      position,
      eventId: id,
      kind: 'leaf',
      reason: NOT_SIGNED,
    });
  }
  if (signedLeaf !== undefined && !bytesEqual(hash, signedLeaf)) {
    throw new VerificationError({
      file: BUNDLE_FILES.events,
      lineNumber,
      position,
      eventId: id,
      kind: 'leaf',
      reason:
        `the event differs from the one the log signed at position ${position}: the line ` +
        `hashes to ${toBase64(hash)}, the log's leaf hash there is ${toBase64(signedLeaf)}`,
    });
  }
  return hash;
}

/**
 * Leaf hashes of consecutive events.jsonl lines, concatenated (32 bytes each) so a worker
 * thread can transfer one buffer back. Line i of `lines` is expected at position
 * `firstPosition + i` and is reported as line `firstLineNumber + i` (1-based). With
 * `signedLeaves` (leaves.bin from `firstPosition`, 32 bytes per leaf), line i must hash to
 * leaf i of it, and a line past its end fails as an event the log never signed. Throws the VerificationError of the first bad
 * line in the chunk; a caller that splits the file over workers reports the error of the
 * earliest chunk that failed.
 */
export function leafHashesOf(
  lines: readonly string[],
  options: { firstPosition: number; firstLineNumber?: number; signedLeaves?: Uint8Array },
): Uint8Array {
  const { signedLeaves } = options;
  const out = new Uint8Array(lines.length * HASH_SIZE);
  const firstLineNumber = options.firstLineNumber ?? options.firstPosition + 1;
  for (let i = 0; i < lines.length; i++) {
    const hash = eventLineLeafHash({
      line: lines[i],
      position: options.firstPosition + i,
      lineNumber: firstLineNumber + i,
      signedLeaf: signedLeafAt(signedLeaves, i),
    });
    out.set(hash, i * HASH_SIZE);
  }
  return out;
}

/**
 * Leaf `i` of `signedLeaves` (32 bytes each), the `signedLeaf` eventLineLeafHash takes:
 * undefined without leaves.bin, null past its end (the log signed no event there).
 */
export function signedLeafAt(
  signedLeaves: Uint8Array | undefined,
  i: number,
): Uint8Array | null | undefined {
  if (signedLeaves === undefined) return undefined;
  return (i + 1) * HASH_SIZE <= signedLeaves.length
    ? signedLeaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)
    : null;
}

/** Why a well-formed event line past the end of leaves.bin fails. */
export const NOT_SIGNED =
  'the log signed no event at this position: leaves.bin has no leaf hash for it';

function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}
