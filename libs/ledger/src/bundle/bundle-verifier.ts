import { toBase64 } from '../encoding/base64.js';
import { bytesEqual } from '../encoding/bytes.js';
import { InvalidArgumentError, LedgerError } from '../errors.js';
import { openCheckpoint } from '../checkpoint/checkpoint.js';
import { CompactRange } from '../merkle/compact-range.js';
import { HASH_SIZE } from '../merkle/hash.js';
import { parseVerifierKey, parseWitnessKey, type VerifierKey } from '../note/keys.js';
import {
  BUNDLE_FILES,
  parseCheckpointRecord,
  parseManifest,
  type BundleManifest,
} from './layout.js';
import { eventLineLeafHash } from './leaf-hashes.js';
import { VerificationError } from './verification-error.js';

export interface BundleVerifierOptions {
  /** The origin the verifier trusts (not the one the bundle claims). */
  origin: string;
  /** The log's Ed25519 verifier key, obtained out of band. */
  logKey: string | VerifierKey;
  /** Witness keys whose cosignatures are checked (see parseWitnessKey). */
  witnessKeys?: readonly (string | VerifierKey)[];
  /** Valid witness cosignatures each checkpoint must carry; default 0. */
  minCosignatures?: number;
  /** When given, finish() also checks the counts it claims. */
  manifest?: BundleManifest;
}

export interface BundleSummary {
  events: number;
  checkpoints: number;
  /** Valid witness cosignatures over all checkpoints. */
  cosignatures: number;
  /** Root of the whole tree, which the last checkpoint signs. */
  root: Uint8Array;
}

interface PendingCheckpoint {
  size: number;
  rootHash: Uint8Array;
  lineNumber?: number;
}

/**
 * Verifies an export bundle as a stream, in O(log n) memory: it recomputes every leaf and the
 * tree, and checks every checkpoint's signature, root and cosignatures. The first mismatch
 * throws a VerificationError naming the event or checkpoint.
 *
 * Use: construct with the trusted origin and keys; give it every checkpoint with
 * `checkCheckpoint`, or all of checkpoints.jsonl with `checkCheckpointLines` (before the tree
 * grows past their sizes, so simply first); then feed events in position order with
 * `addEventLine`, or leaf hashes computed elsewhere (`leafHashesOf` on a worker thread) with
 * `addLeafHashes`; then call `finish`. A checkpoint is compared with the
 * recomputed root as soon as the tree reaches its size. Checking every checkpoint against one
 * recomputed tree also proves they are consistent with each other.
 */
export class BundleVerifier {
  private readonly range = CompactRange.empty();
  private readonly origin: string;
  private readonly logKey: VerifierKey;
  private readonly witnessKeys: VerifierKey[];
  private readonly minCosignatures: number;
  private readonly manifest?: BundleManifest;
  /** In increasing size; each is checked and removed when the tree reaches its size. */
  private readonly pending: PendingCheckpoint[] = [];
  private lastGivenSize = -1;
  private checkpointsChecked = 0;
  private cosignatures = 0;
  private lastCheckedSize = -1;

  constructor(options: BundleVerifierOptions) {
    this.origin = options.origin;
    this.logKey =
      typeof options.logKey === 'string' ? parseVerifierKey(options.logKey) : options.logKey;
    if (this.logKey.algorithm !== 'ed25519') {
      throw new InvalidArgumentError('the log key must be an Ed25519 note key (type 0x01)');
    }
    this.witnessKeys = (options.witnessKeys ?? []).map((k) =>
      typeof k === 'string' ? parseWitnessKey(k) : k,
    );
    this.minCosignatures = options.minCosignatures ?? 0;
    this.manifest = options.manifest;
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.range.size;
  }

  /**
   * Checks a signed checkpoint note: the log's signature, origin and cosignatures now, and its
   * root when the tree reaches its size (now, if it already has). Checkpoints must come in
   * strictly increasing size, before the tree grows past their size (so simply all first).
   * `lineNumber` is its line in checkpoints.jsonl and `size` the size that line claims; both
   * only serve the checks and error messages.
   */
  checkCheckpoint(signedNote: string, options: { lineNumber?: number; size?: number } = {}): void {
    const { lineNumber } = options;
    let opened;
    try {
      opened = openCheckpoint({
        note: signedNote,
        origin: this.origin,
        logKey: this.logKey,
        witnessKeys: this.witnessKeys,
      });
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      throw new VerificationError(
        {
          file: BUNDLE_FILES.checkpoints,
          lineNumber,
          checkpointSize: options.size,
          reason: error.message,
        },
        { cause: error },
      );
    }
    const { size, rootHash } = opened.checkpoint;
    const fail = (reason: string) =>
      new VerificationError({
        file: BUNDLE_FILES.checkpoints,
        lineNumber,
        checkpointSize: size,
        reason,
      });
    if (options.size !== undefined && options.size !== size) {
      throw fail(`the record says size ${options.size} but the signed checkpoint says ${size}`);
    }
    if (size <= this.lastGivenSize) {
      throw fail(`checkpoint sizes must increase (the previous was ${this.lastGivenSize})`);
    }
    if (size < this.range.size) {
      throw new InvalidArgumentError(
        `checkpoint at size ${size} given after the tree reached ${this.range.size} leaves; give checkpoints first`,
      );
    }
    if (opened.cosignatures.length < this.minCosignatures) {
      throw fail(
        `${opened.cosignatures.length} valid witness cosignatures, ${this.minCosignatures} required`,
      );
    }
    this.lastGivenSize = size;
    this.cosignatures += opened.cosignatures.length;
    this.pending.push({ size, rootHash, lineNumber });
    this.checkReached();
  }

  /** Checks every line of checkpoints.jsonl with `checkCheckpoint`, in order. */
  checkCheckpointLines(text: string): void {
    linesOf(text, BUNDLE_FILES.checkpoints).forEach((line, i) => {
      const record = parseCheckpointRecord(line, i + 1);
      this.checkCheckpoint(record.note, { lineNumber: i + 1, size: record.size });
    });
  }

  /**
   * Checks the events.jsonl line for the next position (see eventLineLeafHash) and appends its
   * leaf. `lineNumber` is 1-based; by default the position + 1.
   */
  addEventLine(line: string, lineNumber?: number): void {
    const position = this.range.size;
    this.range.append(
      eventLineLeafHash({ line, position, lineNumber: lineNumber ?? position + 1 }),
    );
    this.checkReached();
  }

  /** Appends the leaf at `position`, which must be the next one, by its 32-byte leaf hash. */
  addLeafHash(args: { position: number; leafHash: Uint8Array }): void {
    if (args.position !== this.range.size) {
      throw new VerificationError({
        file: BUNDLE_FILES.events,
        position: args.position,
        reason: `expected the leaf at position ${this.range.size}`,
      });
    }
    this.range.append(args.leafHash);
    this.checkReached();
  }

  /**
   * Appends consecutive leaves from `leafHashesOf` (32 bytes each, concatenated), the first at
   * `firstPosition`, which must be the next position.
   */
  addLeafHashes(args: { firstPosition: number; hashes: Uint8Array }): void {
    if (args.hashes.length % HASH_SIZE !== 0) {
      throw new InvalidArgumentError('leaf hashes come in 32-byte blocks');
    }
    const count = args.hashes.length / HASH_SIZE;
    for (let i = 0; i < count; i++) {
      this.addLeafHash({
        position: args.firstPosition + i,
        leafHash: args.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
      });
    }
  }

  /**
   * Ends verification: every checkpoint must have been reached, there must be at least one,
   * and the last must cover every event (and the manifest's counts must match, if given).
   */
  finish(): BundleSummary {
    const events = this.range.size;
    const beyond = this.pending[0];
    if (beyond !== undefined) {
      throw new VerificationError({
        file: BUNDLE_FILES.checkpoints,
        lineNumber: beyond.lineNumber,
        checkpointSize: beyond.size,
        reason: `the bundle has only ${events} events`,
      });
    }
    if (this.checkpointsChecked === 0) {
      throw new VerificationError({ reason: 'the bundle has no checkpoint' });
    }
    if (this.lastCheckedSize !== events) {
      throw new VerificationError({
        file: BUNDLE_FILES.events,
        position: this.lastCheckedSize,
        lineNumber: this.lastCheckedSize + 1,
        reason: `events from this position on are not covered by any checkpoint (the last is at size ${this.lastCheckedSize})`,
      });
    }
    if (this.manifest) {
      const { manifest } = this;
      if (manifest.origin !== this.origin) {
        throw manifestError(`origin is "${manifest.origin}", expected "${this.origin}"`);
      }
      if (manifest.events !== events) {
        throw manifestError(`says ${manifest.events} events, events.jsonl has ${events}`);
      }
      if (manifest.checkpoints !== this.checkpointsChecked) {
        throw manifestError(
          `says ${manifest.checkpoints} checkpoints, checkpoints.jsonl has ${this.checkpointsChecked}`,
        );
      }
    }
    return {
      events,
      checkpoints: this.checkpointsChecked,
      cosignatures: this.cosignatures,
      root: this.range.root(),
    };
  }

  private checkReached(): void {
    while (this.pending.length > 0 && this.pending[0].size === this.range.size) {
      const checkpoint = this.pending[0];
      const root = this.range.root();
      if (!bytesEqual(root, checkpoint.rootHash)) {
        const from = this.lastCheckedSize < 0 ? 0 : this.lastCheckedSize;
        throw new VerificationError({
          file: BUNDLE_FILES.checkpoints,
          lineNumber: checkpoint.lineNumber,
          checkpointSize: checkpoint.size,
          reason:
            `the log signed root ${toBase64(checkpoint.rootHash)} but the events give ` +
            `${toBase64(root)}: an event at a position in [${from}, ${checkpoint.size}) differs ` +
            'from what the log signed',
        });
      }
      this.pending.shift();
      this.checkpointsChecked++;
      this.lastCheckedSize = checkpoint.size;
    }
  }
}

function manifestError(reason: string): VerificationError {
  return new VerificationError({ file: BUNDLE_FILES.manifest, reason });
}

/**
 * Verifies a whole bundle held in memory (small bundles, tests, a browser with the files
 * read): the manifest, every checkpoint line and every event line. Large bundles should stream
 * through BundleVerifier instead.
 */
export function verifyBundle(args: {
  files: { manifest: string; events: string; checkpoints: string };
  origin: string;
  logKey: string | VerifierKey;
  witnessKeys?: readonly (string | VerifierKey)[];
  minCosignatures?: number;
}): BundleSummary {
  const manifest = parseManifest(args.files.manifest);
  const verifier = new BundleVerifier({
    origin: args.origin,
    logKey: args.logKey,
    witnessKeys: args.witnessKeys,
    minCosignatures: args.minCosignatures,
    manifest,
  });
  verifier.checkCheckpointLines(args.files.checkpoints);
  linesOf(args.files.events, BUNDLE_FILES.events).forEach((line, i) =>
    verifier.addEventLine(line, i + 1),
  );
  return verifier.finish();
}

/** The lines of a JSON Lines file, each of which must end in "\n". */
export function linesOf(text: string, file: string): string[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) {
    throw new VerificationError({ file, reason: 'the last line does not end with a newline' });
  }
  return text.slice(0, -1).split('\n');
}
