import { LedgerError } from '../errors.js';
import { parseEventEnvelope } from '../event/envelope.js';
import { canonicalize } from '../jcs/canonicalize.js';
import { HASH_SIZE, leafHashOfText } from '../merkle/hash.js';
import { BUNDLE_FILES } from './layout.js';
import { VerificationError } from './verification-error.js';

/**
 * Checks one events.jsonl line (without its newline) and returns its leaf hash. The line must
 * be JSON, an event envelope of the fixed shape, at `position`, and byte-for-byte its own
 * RFC 8785 canonical form (so the bytes hashed are the bytes the log hashed). Throws a
 * VerificationError naming the line, the position and, when readable, the event id.
 */
export function eventLineLeafHash(args: {
  line: string;
  position: number;
  lineNumber: number;
}): Uint8Array {
  const { line, position, lineNumber } = args;
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
  let canonical: string;
  try {
    const envelope = parseEventEnvelope(value);
    if (envelope.position !== position) {
      throw fail(`envelope says position ${envelope.position}, expected ${position}`, id);
    }
    canonical = canonicalize(envelope);
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    if (error instanceof LedgerError) throw fail(error.message, id, error);
    throw error;
  }
  if (canonical !== line) throw fail('the line is not RFC 8785 canonical JSON', id);
  return leafHashOfText(line);
}

/**
 * Leaf hashes of consecutive events.jsonl lines, concatenated (32 bytes each) so a worker
 * thread can transfer one buffer back. Line i of `lines` is expected at position
 * `firstPosition + i` and is reported as line `firstLineNumber + i` (1-based). Throws the
 * VerificationError of the first bad line in the chunk; a caller that splits the file over
 * workers reports the error of the earliest chunk that failed.
 */
export function leafHashesOf(
  lines: readonly string[],
  options: { firstPosition: number; firstLineNumber?: number },
): Uint8Array {
  const out = new Uint8Array(lines.length * HASH_SIZE);
  const firstLineNumber = options.firstLineNumber ?? options.firstPosition + 1;
  for (let i = 0; i < lines.length; i++) {
    const hash = eventLineLeafHash({
      line: lines[i],
      position: options.firstPosition + i,
      lineNumber: firstLineNumber + i,
    });
    out.set(hash, i * HASH_SIZE);
  }
  return out;
}

function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}
