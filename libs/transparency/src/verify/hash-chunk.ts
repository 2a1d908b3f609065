import {
  BUNDLE_FILES,
  eventLineLeafHash,
  signedLeafAt,
  HASH_SIZE,
  VerificationError,
  type MismatchLocation,
} from '#ledger';

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
 * Checks and hashes whole lines of events.jsonl (`eventLineLeafHash`), the first at
 * `firstPosition`, and with `signedLeaves` (leaves.bin from that position) compares each with
 * its leaf; a line past the end of `signedLeaves` fails as one the log never signed.
 * Precondition: `bytes` is empty or ends with a newline. Returns the hashes of the lines before
 * the first bad one and where that one is, so that a caller feeding chunks in order reports
 * exactly what a single pass would.
 */
export function hashChunk(
  bytes: Uint8Array,
  firstPosition: number,
  signedLeaves?: Uint8Array,
): ChunkHashes {
  // Each line is decoded and hashed on its own: decoding a whole chunk into one string costs
  // about three times as much per line, and the line's bytes are what its leaf hashes.
  const buffer = asBuffer(bytes);
  const lines = countLines(buffer);
  const hashes = new Uint8Array(lines * HASH_SIZE);
  let start = 0;
  for (let i = 0; i < lines; i++) {
    const end = buffer.indexOf(NEWLINE, start);
    const line = buffer.subarray(start, end);
    const position = firstPosition + i;
    let text: string;
    try {
      text = decoder.decode(line);
    } catch {
      const reason = 'not valid UTF-8';
      const error = { file: BUNDLE_FILES.events, lineNumber: position + 1, position, reason };
      return { hashes: hashes.slice(0, i * HASH_SIZE), error };
    }
    try {
      const hash = eventLineLeafHash({
        line: text,
        bytes: line,
        position,
        lineNumber: position + 1,
        signedLeaf: signedLeafAt(signedLeaves, i),
      });
      hashes.set(hash, i * HASH_SIZE);
    } catch (error) {
      if (!(error instanceof VerificationError)) throw error;
      return { hashes: hashes.slice(0, i * HASH_SIZE), error: error.location };
    }
    start = end + 1;
  }
  return { hashes };
}

/** Counts the lines (newlines) in a chunk. */
export function countLines(bytes: Uint8Array): number {
  const buffer = asBuffer(bytes);
  let lines = 0;
  for (let i = buffer.indexOf(NEWLINE); i !== -1; i = buffer.indexOf(NEWLINE, i + 1)) lines++;
  return lines;
}

// Buffer's indexOf is a memchr; Uint8Array's steps byte by byte, about ten times slower.
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
