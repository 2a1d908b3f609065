import { toBase64 } from '../encoding/base64.js';
import { bytesEqual } from '../encoding/bytes.js';
import { InvalidArgumentError, LedgerError } from '../errors.js';
import { openCheckpoint } from '../checkpoint/checkpoint.js';
import { CompactRange } from '../merkle/compact-range.js';
import { HASH_SIZE } from '../merkle/hash.js';
import { parseVerifierKey, parseWitnessKey, type VerifierKey } from '../note/keys.js';
import {
  BUNDLE_FILES,
  hasSignedLeaves,
  parseCheckpointRecord,
  parseManifest,
  type BundleManifest,
} from './layout.js';
import { eventLineLeafHash, leafHashesOf, NOT_SIGNED } from './leaf-hashes.js';
import { VerificationError, type MismatchLocation } from './verification-error.js';

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
  /**
   * The bundle carries leaves.bin (format v2): the tree is built from its leaf hashes, given
   * with `addEventChunk` and `addSignedLeaves`, and each event is compared with its leaf.
   */
  signedLeaves?: boolean;
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
 * grows past their sizes, so simply first); then the events, in position order; then call
 * `finish`. A checkpoint is compared with the root of the tree as soon as the tree reaches
 * its size. Checking every checkpoint against one tree also proves they are consistent with
 * each other.
 *
 * Events of a v1 bundle are fed with `addEventLine`, or as leaf hashes computed elsewhere
 * (`leafHashesOf` on a worker thread) with `addLeafHashes`: the tree is built from them, and
 * a changed event shows only as a checkpoint whose root differs.
 *
 * With `signedLeaves` (v2), the tree is built from leaves.bin instead, and each event is
 * compared with its leaf: `addEventChunk` takes what checking some event lines against
 * leaves.bin gave (`leafHashesOf` with `signedLeaves`), and `addSignedLeaves` the leaf hashes
 * past the last event line. A line that is not a well-formed event at its position fails at
 * once. An event whose leaf differs from leaves.bin fails only in `finish`, once leaves.bin
 * has given every signed root (else it is leaves.bin that was changed), naming that event.
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
  private readonly signedLeaves: boolean;
  /** v2: event lines checked against leaves.bin so far. */
  private eventLines = 0;
  /** v2: the first event found to differ from leaves.bin, thrown once leaves.bin is proven. */
  private deferred?: MismatchLocation;
  /** v2: whether the leaves being appended were matched by event lines (for the message). */
  private leavesMatchEvents = false;

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
    this.signedLeaves = options.signedLeaves ?? false;
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
    this.assertMode(false);
    const position = this.range.size;
    this.range.append(
      eventLineLeafHash({ line, position, lineNumber: lineNumber ?? position + 1 }),
    );
    this.checkReached();
  }

  /** Appends the leaf at `position`, which must be the next one, by its 32-byte leaf hash. */
  addLeafHash(args: { position: number; leafHash: Uint8Array }): void {
    this.assertMode(false);
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
   * v2: takes what checking `lines` consecutive event lines, the first at `firstPosition` (the
   * next one), against leaves.bin gave: `signedLeaves` are leaves.bin's hashes for them (fewer
   * when leaves.bin ends first), and `error` the first line that failed, if any. Appends those
   * leaves to the tree. Throws at once when a line is not a well-formed event; an event that
   * differs from its leaf is thrown by `finish`, after which only `addSignedLeaves` may follow.
   */
  addEventChunk(args: {
    firstPosition: number;
    lines: number;
    signedLeaves: Uint8Array;
    error?: MismatchLocation;
  }): void {
    this.assertMode(true);
    const { firstPosition, lines, signedLeaves, error } = args;
    if (this.deferred !== undefined) {
      throw new InvalidArgumentError('after an event that differs, give only addSignedLeaves');
    }
    if (firstPosition !== this.eventLines || signedLeaves.length % HASH_SIZE !== 0) {
      throw new InvalidArgumentError(
        `expected the event lines from position ${this.eventLines} and whole leaf hashes`,
      );
    }
    if (error !== undefined && error.kind !== 'leaf') throw new VerificationError(error);
    const covered = Math.min(lines, signedLeaves.length / HASH_SIZE);
    const matched = error?.position === undefined ? covered : error.position - firstPosition;
    this.leavesMatchEvents = true;
    this.appendLeaves(signedLeaves.subarray(0, matched * HASH_SIZE));
    this.leavesMatchEvents = false;
    this.eventLines += lines;
    if (error !== undefined) {
      this.deferred = error;
    } else if (lines > covered) {
      const position = firstPosition + covered;
      this.deferred = {
        file: BUNDLE_FILES.events,
        lineNumber: position + 1,
        position,
        reason: NOT_SIGNED,
      };
    }
    this.appendLeaves(signedLeaves.subarray(matched * HASH_SIZE, covered * HASH_SIZE));
  }

  /** v2: appends leaf hashes of leaves.bin that follow those given with `addEventChunk`. */
  addSignedLeaves(hashes: Uint8Array): void {
    this.assertMode(true);
    if (hashes.length % HASH_SIZE !== 0) {
      throw new InvalidArgumentError('leaf hashes come in 32-byte blocks');
    }
    this.appendLeaves(hashes);
  }

  /**
   * Ends verification: every checkpoint must have been reached, there must be at least one,
   * and the last must cover every event (and the manifest's counts must match, if given).
   */
  finish(): BundleSummary {
    const events = this.range.size;
    const source = this.signedLeaves ? BUNDLE_FILES.leaves : BUNDLE_FILES.events;
    const beyond = this.pending[0];
    if (beyond !== undefined) {
      throw new VerificationError({
        file: BUNDLE_FILES.checkpoints,
        lineNumber: beyond.lineNumber,
        checkpointSize: beyond.size,
        reason: this.signedLeaves
          ? `leaves.bin has only ${events} leaf hashes`
          : `the bundle has only ${events} events`,
      });
    }
    if (this.checkpointsChecked === 0) {
      throw new VerificationError({ reason: 'the bundle has no checkpoint' });
    }
    if (this.lastCheckedSize !== events) {
      throw new VerificationError({
        file: source,
        position: this.lastCheckedSize,
        lineNumber: this.signedLeaves ? undefined : this.lastCheckedSize + 1,
        reason: `${this.signedLeaves ? 'leaf hashes' : 'events'} from this position on are not covered by any checkpoint (the last is at size ${this.lastCheckedSize})`,
      });
    }
    if (this.manifest) {
      const { manifest } = this;
      if (manifest.origin !== this.origin) {
        throw manifestError(`origin is "${manifest.origin}", expected "${this.origin}"`);
      }
      if (manifest.events !== events) {
        throw manifestError(
          `says ${manifest.events} events, ${source} has ${events}${this.signedLeaves ? ' leaf hashes' : ''}`,
        );
      }
      if (manifest.checkpoints !== this.checkpointsChecked) {
        throw manifestError(
          `says ${manifest.checkpoints} checkpoints, checkpoints.jsonl has ${this.checkpointsChecked}`,
        );
      }
    }
    if (this.deferred !== undefined) throw new VerificationError(this.deferred);
    if (this.signedLeaves && this.eventLines !== events) {
      throw new VerificationError({
        file: BUNDLE_FILES.events,
        lineNumber: this.eventLines + 1,
        position: this.eventLines,
        reason:
          `events.jsonl ends before this position, but the log signed ${events} events: ` +
          `the last ${events - this.eventLines} are missing`,
      });
    }
    return {
      events,
      checkpoints: this.checkpointsChecked,
      cosignatures: this.cosignatures,
      root: this.range.root(),
    };
  }

  private assertMode(signedLeaves: boolean): void {
    if (signedLeaves !== this.signedLeaves) {
      throw new InvalidArgumentError(
        signedLeaves
          ? 'this verifier builds the tree from the events (v1): give addEventLine or addLeafHashes'
          : 'this verifier builds the tree from leaves.bin (v2): give addEventChunk and addSignedLeaves',
      );
    }
  }

  private appendLeaves(hashes: Uint8Array): void {
    for (let offset = 0; offset < hashes.length; offset += HASH_SIZE) {
      this.range.append(hashes.subarray(offset, offset + HASH_SIZE));
      this.checkReached();
    }
  }

  private checkReached(): void {
    while (this.pending.length > 0 && this.pending[0].size === this.range.size) {
      const checkpoint = this.pending[0];
      const root = this.range.root();
      if (!bytesEqual(root, checkpoint.rootHash)) {
        const range = `[${this.lastCheckedSize < 0 ? 0 : this.lastCheckedSize}, ${checkpoint.size})`;
        const signed = `the log signed root ${toBase64(checkpoint.rootHash)}`;
        let reason: string;
        if (!this.signedLeaves) {
          reason = `${signed} but the events give ${toBase64(root)}: an event at a position in ${range} differs from what the log signed`;
        } else if (this.leavesMatchEvents) {
          reason =
            `${signed} but the events give ${toBase64(root)}, as does leaves.bin: an event at ` +
            `a position in ${range} differs from what the log signed`;
        } else {
          reason = `${signed} but leaves.bin gives ${toBase64(root)}: leaves.bin was changed at a position in ${range}`;
        }
        throw new VerificationError({
          file: BUNDLE_FILES.checkpoints,
          lineNumber: checkpoint.lineNumber,
          checkpointSize: checkpoint.size,
          reason,
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
  /** `leaves` is leaves.bin, which a v2 manifest requires. */
  files: { manifest: string; events: string; checkpoints: string; leaves?: Uint8Array };
  origin: string;
  logKey: string | VerifierKey;
  witnessKeys?: readonly (string | VerifierKey)[];
  minCosignatures?: number;
}): BundleSummary {
  const manifest = parseManifest(args.files.manifest);
  const signedLeaves = hasSignedLeaves(manifest);
  const verifier = new BundleVerifier({
    origin: args.origin,
    logKey: args.logKey,
    witnessKeys: args.witnessKeys,
    minCosignatures: args.minCosignatures,
    manifest,
    signedLeaves,
  });
  verifier.checkCheckpointLines(args.files.checkpoints);
  const lines = linesOf(args.files.events, BUNDLE_FILES.events);
  if (!signedLeaves) {
    lines.forEach((line, i) => verifier.addEventLine(line, i + 1));
    return verifier.finish();
  }
  const { leaves } = args.files;
  if (leaves === undefined) {
    throw new VerificationError({ file: BUNDLE_FILES.leaves, reason: 'missing from the bundle' });
  }
  assertWholeLeaves(leaves.length);
  const forLines = leaves.subarray(0, Math.min(leaves.length, lines.length * HASH_SIZE));
  let error: MismatchLocation | undefined;
  try {
    leafHashesOf(lines, { firstPosition: 0, signedLeaves: forLines });
  } catch (caught) {
    if (!(caught instanceof VerificationError)) throw caught;
    error = caught.location;
  }
  verifier.addEventChunk({ firstPosition: 0, lines: lines.length, signedLeaves: forLines, error });
  verifier.addSignedLeaves(leaves.subarray(forLines.length));
  return verifier.finish();
}

/** leaves.bin of `bytes` bytes must hold whole 32-byte leaf hashes. */
export function assertWholeLeaves(bytes: number): void {
  if (bytes % HASH_SIZE !== 0) {
    throw new VerificationError({
      file: BUNDLE_FILES.leaves,
      reason: `${bytes} bytes, not a whole number of 32-byte leaf hashes`,
    });
  }
}

/** The lines of a JSON Lines file, each of which must end in "\n". */
export function linesOf(text: string, file: string): string[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) {
    throw new VerificationError({ file, reason: 'the last line does not end with a newline' });
  }
  return text.slice(0, -1).split('\n');
}
