import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import {
  assertWholeLeaves,
  BUNDLE_FILES,
  BundleVerifier,
  hasSignedLeaves,
  HASH_SIZE,
  LedgerError,
  parseBundleKeys,
  parseManifest,
  parseVerifierKey,
  parseWitnessKey,
  VerificationError,
  type BundleManifest,
  type BundleSummary,
  type VerifierKey,
} from '#ledger';
import { countLines, hashChunk, type ChunkHashes } from './hash-chunk.js';
import { LeafHashPool, type ChunkOutcome } from './leaf-hash-pool.js';

export const DEFAULT_CHUNK_BYTES = 4 << 20;

export interface VerifyBundleOptions {
  dir: string;
  /** The log key the caller trusts; without it, keys.json's (and the result says so). */
  logKey?: VerifierKey;
  /** Witness keys the caller trusts; without any, keys.json's. */
  witnessKeys?: VerifierKey[];
  /** Worker threads hashing events.jsonl; 0 hashes on this thread. */
  workers: number;
  /** Bytes of events.jsonl per task (cut at a newline). */
  chunkBytes?: number;
}

export interface BundleVerification {
  summary: BundleSummary;
  manifest: BundleManifest;
  logKey: VerifierKey;
  witnessKeys: VerifierKey[];
  /** Whether the keys came from the caller rather than from the bundle's keys.json. */
  logKeyPinned: boolean;
  witnessKeysPinned: boolean;
  workers: number;
}

/**
 * Verifies an export bundle folder offline, streaming events.jsonl through `workers` threads
 * in chunks cut at newlines, and feeding what they find in order to one BundleVerifier: the
 * first failure in file order is the one reported, as a VerificationError naming the file and
 * the line, event or checkpoint. In a v2 bundle each chunk is sent with its leaf hashes from
 * leaves.bin, which the workers compare each line with, while this thread builds the tree from
 * leaves.bin; see BundleVerifier for which failure wins.
 */
export async function verifyBundleDir(options: VerifyBundleOptions): Promise<BundleVerification> {
  const { dir } = options;
  const manifest = parseManifest(await bundleText(dir, BUNDLE_FILES.manifest));
  const keys = parseBundleKeys(await bundleText(dir, BUNDLE_FILES.keys));
  const logKey = options.logKey ?? keyFromBundle(() => parseVerifierKey(keys.log));
  const pinnedWitnesses = options.witnessKeys ?? [];
  const witnessKeys =
    pinnedWitnesses.length > 0
      ? pinnedWitnesses
      : keys.witnesses.map((key) => keyFromBundle(() => parseWitnessKey(key)));
  const verifier = new BundleVerifier({
    // A log's key is named after its origin (c2sp.org/tlog-checkpoint recommends it; the
    // server refuses any other key), so trusting the key is trusting the origin.
    origin: logKey.name,
    logKey,
    witnessKeys,
    manifest,
    signedLeaves: hasSignedLeaves(manifest),
  });

  verifier.checkCheckpointLines(await bundleText(dir, BUNDLE_FILES.checkpoints));

  const leaves = hasSignedLeaves(manifest)
    ? await SignedLeaves.open(path.join(dir, BUNDLE_FILES.leaves))
    : undefined;
  try {
    await streamEvents({
      file: path.join(dir, BUNDLE_FILES.events),
      verifier,
      leaves,
      workers: options.workers,
      chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    });
  } finally {
    await leaves?.close();
  }
  return {
    summary: verifier.finish(),
    manifest,
    logKey,
    witnessKeys,
    logKeyPinned: options.logKey !== undefined,
    witnessKeysPinned: pinnedWitnesses.length > 0,
    workers: options.workers,
  };
}

interface InFlight {
  outcome: Promise<ChunkOutcome>;
  firstPosition: number;
  lines: number;
  /** v2: leaves.bin's hashes for the chunk's lines. */
  signedLeaves?: Uint8Array;
}

async function streamEvents(args: {
  file: string;
  verifier: BundleVerifier;
  /** v2 bundles: leaves.bin. */
  leaves?: SignedLeaves;
  workers: number;
  chunkBytes: number;
}): Promise<void> {
  const { verifier, leaves } = args;
  const pool = args.workers > 0 ? new LeafHashPool(args.workers) : undefined;
  // Two chunks per worker: one being hashed, one waiting, while this thread reads the next.
  const window = Math.max(1, 2 * args.workers);
  const inFlight: InFlight[] = [];
  // v2: set once an event differs from leaves.bin; the rest of the events need no hashing.
  let differs = false;
  // Buffers of chunks already hashed, read into again: a fresh 4 MiB buffer per chunk cost
  // more in page faults and zeroing than reading into it.
  const spare: Uint8Array[] = [];
  const feed = async () => {
    const next = inFlight.shift();
    if (!next || differs) return;
    const outcome = await next.outcome;
    if ('buffer' in outcome) spare.push(new Uint8Array(outcome.buffer));
    differs = apply(verifier, next, outcome);
  };
  try {
    let position = 0;
    for await (const chunk of chunksOf(args.file, args.chunkBytes, spare)) {
      if (differs) break;
      if (chunk.unterminated) {
        while (inFlight.length > 0) await feed();
        if (differs) break;
        throw new VerificationError({
          file: BUNDLE_FILES.events,
          lineNumber: position + 1,
          position,
          reason: 'the last line does not end with a newline',
        });
      }
      const lines = countLines(chunk.bytes);
      const signedLeaves = await leaves?.read(position, lines);
      const outcome = pool
        ? pool.hash(chunk.bytes, position, signedLeaves)
        : Promise.resolve({
            ...hashChunk(chunk.bytes, position, signedLeaves),
            buffer: chunk.bytes.buffer as ArrayBuffer,
          });
      inFlight.push({ outcome, firstPosition: position, lines, signedLeaves });
      position += lines;
      while (inFlight.length >= window) await feed();
    }
    while (inFlight.length > 0) await feed();
  } finally {
    await pool?.close();
  }
  // v2: the leaf hashes after the last event line checked, so that every signed root is
  // checked before an event is said to differ.
  if (leaves) {
    for (let from = verifier.size; from < leaves.count; from += LEAVES_PER_READ) {
      verifier.addSignedLeaves(await leaves.read(from, LEAVES_PER_READ));
    }
  }
}

/** Feeds one chunk's outcome to the verifier; returns whether an event differs from its leaf. */
function apply(verifier: BundleVerifier, chunk: InFlight, outcome: ChunkOutcome): boolean {
  if ('fatal' in outcome) throw new Error(outcome.fatal);
  const { hashes, error } = outcome as ChunkHashes;
  const { firstPosition, lines, signedLeaves } = chunk;
  if (!signedLeaves) {
    verifier.addLeafHashes({ firstPosition, hashes });
    if (error) throw new VerificationError(error);
    return false;
  }
  verifier.addEventChunk({ firstPosition, lines, signedLeaves, error });
  return error !== undefined || signedLeaves.length < lines * HASH_SIZE;
}

const LEAVES_PER_READ = 1 << 15;

/** leaves.bin, read by position. */
class SignedLeaves {
  private constructor(
    private readonly handle: FileHandle,
    readonly count: number,
  ) {}

  static async open(file: string): Promise<SignedLeaves> {
    const handle = await openBundleFile(file);
    try {
      const { size } = await handle.stat();
      assertWholeLeaves(size);
      return new SignedLeaves(handle, size / HASH_SIZE);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The leaf hashes at positions [from, from + count), fewer where the file ends. */
  async read(from: number, count: number): Promise<Uint8Array> {
    const length = Math.max(0, Math.min(count, this.count - from)) * HASH_SIZE;
    const buffer = new Uint8Array(length);
    for (let filled = 0; filled < length;) {
      const { bytesRead } = await this.handle.read(
        buffer,
        filled,
        length - filled,
        from * HASH_SIZE + filled,
      );
      if (bytesRead === 0) throw new Error(`${BUNDLE_FILES.leaves} shrank while being read`);
      filled += bytesRead;
    }
    return buffer;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * events.jsonl in chunks of about `chunkBytes` that end at a newline, each at the start of a
 * buffer of its own (so it can be transferred to a worker): one taken from `spare` when one
 * is large enough, else a new one. A line longer than a chunk gets a larger chunk. Bytes after
 * the last newline come last as `unterminated`.
 */
async function* chunksOf(
  file: string,
  chunkBytes: number,
  spare: Uint8Array[],
): AsyncGenerator<{ bytes: Uint8Array; unterminated?: boolean }> {
  const handle = await openBundleFile(file);
  try {
    let carry = new Uint8Array(0);
    for (let eof = false; !eof;) {
      const size = Math.max(chunkBytes, 2 * carry.length);
      let buffer = spare.pop();
      if (buffer === undefined || buffer.length < size) buffer = new Uint8Array(size);
      buffer.set(carry);
      let filled = carry.length;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
        if (bytesRead === 0) {
          eof = true;
          break;
        }
        filled += bytesRead;
      }
      const end = buffer.subarray(0, filled).lastIndexOf(0x0a) + 1;
      carry = buffer.slice(end, filled);
      if (end > 0) yield { bytes: buffer.subarray(0, end) };
    }
    if (carry.length > 0) yield { bytes: carry, unterminated: true };
  } finally {
    await handle.close();
  }
}

async function bundleText(dir: string, file: string): Promise<string> {
  try {
    return await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    throw missing(file, error);
  }
}

async function openBundleFile(file: string) {
  try {
    return await open(file, 'r');
  } catch (error) {
    throw missing(path.basename(file), error);
  }
}

function missing(file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  return new VerificationError({
    file,
    reason: code === 'ENOENT' ? 'missing from the bundle' : `cannot be read (${code})`,
  });
}

function keyFromBundle(parse: () => VerifierKey): VerifierKey {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    throw new VerificationError({ file: BUNDLE_FILES.keys, reason: error.message });
  }
}
