import { fromBase64, toBase64 } from '../encoding/base64.js';
import {
  CosignatureQuorumError,
  InvalidArgumentError,
  MalformedTlogProofError,
} from '../errors.js';
import { leafHash as hashLeaf } from '../merkle/hash.js';
import { verifyInclusion } from '../merkle/verify.js';
import { parseVerifierKey, type VerifierKey } from '../note/keys.js';
import type { VerifiedSignature } from '../note/note.js';
import { openCheckpoint, type Checkpoint } from './checkpoint.js';

// Format from c2sp.org/tlog-proof (C2SP/C2SP tlog-proof.md, read through the code search
// index): the header line, an optional `extra <base64>` line, `index <n>`, the inclusion proof
// one base64 hash per line, an empty line, then the signed checkpoint verbatim.
const HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  /** 0-based index of the entry in the log. */
  readonly index: number;
  /** Opaque, unauthenticated application data; never trust it without checking. */
  readonly extraData?: Uint8Array;
  /** RFC 9162 inclusion proof of `index` in the checkpoint's tree. */
  readonly inclusionProof: readonly Uint8Array[];
  /** The signed (and possibly cosigned) checkpoint note, verbatim. */
  readonly signedCheckpoint: string;
}

/** Renders a c2sp.org/tlog-proof@v1 proof; see TlogProof. Store it as `<name>.tlog-proof`. */
export function formatTlogProof(proof: TlogProof): string {
  if (!Number.isSafeInteger(proof.index) || proof.index < 0) {
    throw new InvalidArgumentError(
      `a tlog-proof index is a non-negative integer, got ${proof.index}`,
    );
  }
  for (const hash of proof.inclusionProof) {
    if (hash.length !== 32) throw new InvalidArgumentError('inclusion proof hashes are 32 bytes');
  }
  if (!proof.signedCheckpoint.includes('\n\n')) {
    throw new InvalidArgumentError('the signed checkpoint must be a signed note');
  }
  let text = `${HEADER}\n`;
  if (proof.extraData !== undefined && proof.extraData.length > 0) {
    text += `extra ${toBase64(proof.extraData)}\n`;
  }
  text += `index ${proof.index}\n`;
  for (const hash of proof.inclusionProof) text += `${toBase64(hash)}\n`;
  return `${text}\n${proof.signedCheckpoint}`;
}

/**
 * Parses a c2sp.org/tlog-proof@v1 proof without verifying anything. Throws
 * MalformedTlogProofError: wrong header, an index that is not a decimal without leading zeros,
 * a proof line that is not base64 of 32 bytes, or no checkpoint after the empty line.
 */
export function parseTlogProof(text: string): TlogProof {
  if (typeof text !== 'string') throw new MalformedTlogProofError('a proof is text');
  // The first empty line ends the proof section; the checkpoint note has its own empty line.
  const split = text.indexOf('\n\n');
  if (split < 0) throw new MalformedTlogProofError('no empty line before the checkpoint');
  const lines = text.slice(0, split).split('\n');
  const signedCheckpoint = text.slice(split + 2);
  if (signedCheckpoint === '') throw new MalformedTlogProofError('the checkpoint is missing');
  if (lines[0] !== HEADER) throw new MalformedTlogProofError(`the first line must be ${HEADER}`);
  let next = 1;
  let extraData: Uint8Array | undefined;
  if (lines[next]?.startsWith('extra ')) {
    extraData = fromBase64(lines[next].slice('extra '.length));
    if (extraData === undefined) throw new MalformedTlogProofError('extra data is not base64');
    next++;
  }
  const indexMatch = /^index (0|[1-9][0-9]*)$/.exec(lines[next] ?? '');
  if (!indexMatch) {
    throw new MalformedTlogProofError('expected "index <n>" with no leading zeros');
  }
  const index = Number(indexMatch[1]);
  if (!Number.isSafeInteger(index)) throw new MalformedTlogProofError('index beyond 2^53 - 1');
  next++;
  const inclusionProof = lines.slice(next).map((line, i) => {
    const hash = fromBase64(line);
    if (hash === undefined || hash.length !== 32) {
      throw new MalformedTlogProofError(`proof line ${i + 1} is not base64 of a 32-byte hash`);
    }
    return hash;
  });
  const proof = { index, inclusionProof, signedCheckpoint };
  return extraData === undefined ? proof : { ...proof, extraData };
}

export interface VerifiedTlogProof {
  readonly index: number;
  readonly checkpoint: Checkpoint;
  readonly cosignatures: readonly VerifiedSignature[];
  /** Unauthenticated: whatever the proof carried. */
  readonly extraData?: Uint8Array;
}

/**
 * Verifies a tlog-proof offline: the checkpoint is signed by `logKey` for `origin` (default: the
 * log key's name, which c2sp.org/tlog-checkpoint recommends be the origin), at least
 * `minCosignatures` of `witnessKeys` cosigned it, and the entry with these leaf bytes (or this
 * leaf hash) is at `index` in the checkpoint's tree. Throws the typed error of the first check
 * that fails (RootMismatchError if the entry is not the one the log committed to).
 */
export function verifyTlogProof(args: {
  proofText: string;
  leafBytes?: Uint8Array;
  leafHash?: Uint8Array;
  logKey: string | VerifierKey;
  origin?: string;
  witnessKeys?: readonly (string | VerifierKey)[];
  minCosignatures?: number;
}): VerifiedTlogProof {
  if ((args.leafBytes === undefined) === (args.leafHash === undefined)) {
    throw new InvalidArgumentError('pass exactly one of leafBytes and leafHash');
  }
  const logKey = typeof args.logKey === 'string' ? parseVerifierKey(args.logKey) : args.logKey;
  const proof = parseTlogProof(args.proofText);
  const opened = openCheckpoint({
    note: proof.signedCheckpoint,
    origin: args.origin ?? logKey.name,
    logKey,
    witnessKeys: args.witnessKeys,
  });
  const required = args.minCosignatures ?? 0;
  if (opened.cosignatures.length < required) {
    throw new CosignatureQuorumError({ required, found: opened.cosignatures.length });
  }
  const leaf = args.leafHash ?? hashLeaf(args.leafBytes ?? new Uint8Array(0));
  verifyInclusion({
    index: proof.index,
    size: opened.checkpoint.size,
    leafHash: leaf,
    proof: proof.inclusionProof,
    root: opened.checkpoint.rootHash,
  });
  const result = {
    index: proof.index,
    checkpoint: opened.checkpoint,
    cosignatures: opened.cosignatures,
  };
  return proof.extraData === undefined ? result : { ...result, extraData: proof.extraData };
}
