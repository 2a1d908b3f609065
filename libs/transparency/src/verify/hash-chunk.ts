import { BUNDLE_FILES, leafHashesOf, VerificationError, type MismatchLocation } from '#ledger';

/** What hashing one chunk of events.jsonl gave: a worker posts it back as it is. */
export interface ChunkHashes {
  /** Leaf hashes of the chunk's lines, 32 bytes each, up to the first bad line. */
  hashes: Uint8Array;
  /** The first bad line of the chunk, if any (the lines before it are in `hashes`). */
  error?: MismatchLocation;
}

const NEWLINE = 0x0a;
// fatal: a byte sequence that is not UTF-8 must fail, not become U+FFFD and then a root
// mismatch far from the line. ignoreBOM: keep a BOM, so the line fails as "not valid JSON".
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Checks and hashes whole lines of events.jsonl (`leafHashesOf`), the first at
 * `firstPosition`, and with `signedLeaves` (leaves.bin from that position) compares each with
 * its leaf. Precondition: `bytes` is empty or ends with a newline. Returns the hashes of the
 * lines before the first bad one and where that one is, so that a caller feeding chunks in
 * order reports exactly what a single pass would.
 */
export function hashChunk(
  bytes: Uint8Array,
  firstPosition: number,
  signedLeaves?: Uint8Array,
): ChunkHashes {
  if (bytes.length === 0) return { hashes: new Uint8Array(0) };
  const { lines, error: utf8Error } = decodeLines(bytes, firstPosition);
  const options = { firstPosition, signedLeaves };
  try {
    return { hashes: leafHashesOf(lines, options), error: utf8Error };
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    const good = (error.location.position ?? firstPosition) - firstPosition;
    return { hashes: leafHashesOf(lines.slice(0, good), options), error: error.location };
  }
}

/** Counts the lines (newlines) in a chunk. */
export function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) lines++;
  return lines;
}

function decodeLines(
  bytes: Uint8Array,
  firstPosition: number,
): { lines: string[]; error?: MismatchLocation } {
  try {
    return { lines: decoder.decode(bytes.subarray(0, bytes.length - 1)).split('\n') };
  } catch {
    // Rare: find the line, keeping the good ones before it.
    const lines: string[] = [];
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      try {
        lines.push(decoder.decode(bytes.subarray(start, end)));
      } catch {
        const position = firstPosition + lines.length;
        return {
          lines,
          error: {
            file: BUNDLE_FILES.events,
            lineNumber: position + 1,
            position,
            reason: 'not valid UTF-8',
          },
        };
      }
      start = end + 1;
    }
    return { lines };
  }
}
