import { fromBase64, toBase64 } from '../encoding/base64.js';
import { bytesEqual } from '../encoding/bytes.js';
import { InvalidSignatureError, LedgerError, UnverifiedNoteError } from '../errors.js';
import { parseCheckpoint, type Checkpoint } from '../checkpoint/checkpoint.js';
import { emptyRoot } from '../merkle/hash.js';
import { verifyConsistency } from '../merkle/verify.js';
import type { VerifierKey } from '../note/keys.js';
import { openNote } from '../note/note.js';

// The add-checkpoint call of c2sp.org/tlog-witness, both sides, without I/O: the request body
// a log sends, and the checks a witness makes before it cosigns, each with the HTTP status
// the specification gives it. The witness's caller signs, persists and answers.

/** A client must not send more proof lines than this (c2sp.org/tlog-witness). */
export const MAX_ADD_CHECKPOINT_PROOF_LINES = 63;

/** The media type of a 409 answer's body: the witness's size in decimal and a newline. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  /** The size of the checkpoint the log believes the witness cosigned last (0 at first). */
  oldSize: number;
  /** The consistency proof from `oldSize` to the checkpoint's size. */
  proof: readonly Uint8Array[];
  /** The signed checkpoint note, with the log's signature(s). */
  checkpoint: string;
}

/** The request body: `old <size>`, a proof line per hash, an empty line, the signed checkpoint. */
export function formatAddCheckpointRequest(request: AddCheckpointRequest): string {
  if (request.proof.length > MAX_ADD_CHECKPOINT_PROOF_LINES) {
    throw new RangeError(`a consistency proof has at most 63 hashes (got ${request.proof.length})`);
  }
  const proof = request.proof.map((hash) => `${toBase64(hash)}\n`).join('');
  return `old ${request.oldSize}\n${proof}\n${request.checkpoint}`;
}

/** Why a witness refuses a request, with the status the specification gives the case. */
export type AddCheckpointRefusal =
  /** Malformed request, or an old size larger than the checkpoint's. */
  | { status: 400; reason: string }
  /** No valid signature by a key the witness trusts for the origin, or a bad one by such a key. */
  | { status: 403; reason: string }
  /** The witness does not know the origin. */
  | { status: 404; reason: string }
  /** The old size is not the size the witness cosigned last: `size` is that size. */
  | { status: 409; reason: string; size: number }
  /** Not consistent: bad proof, wrong empty root, or another root at the same size. */
  | { status: 422; reason: string };

/** The checkpoint the witness cosigned last for a log. */
export interface WitnessedCheckpoint {
  size: number;
  rootHash: Uint8Array;
}

export type AddCheckpointDecision =
  | { cosign: true; checkpoint: Checkpoint; body: string }
  | ({ cosign: false } & AddCheckpointRefusal);

/**
 * Parses a request body. Strict as the specification: `old` and a decimal without leading
 * zeros, at most 63 proof lines of base64 32-byte hashes, an empty line, then a note.
 */
export function parseAddCheckpointRequest(
  body: string,
): AddCheckpointRequest | { status: 400; reason: string } {
  const bad = (reason: string) => ({ status: 400 as const, reason });
  const firstEnd = body.indexOf('\n');
  if (firstEnd < 0) return bad('the body must start with an "old <size>" line');
  const oldLine = body.slice(0, firstEnd);
  const match = /^old (0|[1-9][0-9]*)$/.exec(oldLine);
  if (!match) return bad(`the first line must be "old <size>" in decimal (got "${oldLine}")`);
  const oldSize = Number(match[1]);
  if (!Number.isSafeInteger(oldSize)) return bad(`old size ${match[1]} is beyond 2^53 - 1`);
  const proof: Uint8Array[] = [];
  let at = firstEnd + 1;
  for (;;) {
    const end = body.indexOf('\n', at);
    if (end < 0) return bad('no empty line before the checkpoint');
    const line = body.slice(at, end);
    at = end + 1;
    if (line === '') break;
    if (proof.length === MAX_ADD_CHECKPOINT_PROOF_LINES) {
      return bad(`more than ${MAX_ADD_CHECKPOINT_PROOF_LINES} consistency proof lines`);
    }
    const hash = fromBase64(line);
    if (hash === undefined || hash.length !== 32) {
      return bad(`proof line ${proof.length + 1} is not base64 of a 32-byte hash`);
    }
    proof.push(hash);
  }
  return { oldSize, proof, checkpoint: body.slice(at) };
}

/**
 * What a witness does with a request, in the specification's order: the origin must be
 * known (404), the note signed by a key trusted for it and by no bad signature of such a key
 * (403), the old size at most the checkpoint's (400) and equal to the size cosigned last
 * (409), the empty tree's root at size 0, no proof from 0, the same root at the same size and
 * a proof that verifies otherwise (422). `trustedKeys` gives the log keys per origin;
 * `latest` the checkpoint cosigned last for an origin (none: never cosigned, size 0).
 */
export function decideAddCheckpoint(args: {
  request: AddCheckpointRequest;
  trustedKeys: (origin: string) => readonly VerifierKey[] | undefined;
  latest: WitnessedCheckpoint | undefined;
}): AddCheckpointDecision {
  const { request } = args;
  const refuse = (refusal: AddCheckpointRefusal): AddCheckpointDecision => ({
    cosign: false,
    ...refusal,
  });
  const origin = originOf(request);
  if (origin === undefined) {
    return refuse({ status: 400, reason: 'the checkpoint is not a signed note' });
  }
  const keys = args.trustedKeys(origin);
  if (keys === undefined || keys.length === 0) {
    return refuse({ status: 404, reason: `this witness does not witness the log "${origin}"` });
  }
  let body: string;
  try {
    body = openNote(request.checkpoint, keys).text;
  } catch (error) {
    if (error instanceof UnverifiedNoteError) {
      return refuse({
        status: 403,
        reason: `the checkpoint carries no signature by a key this witness trusts for "${origin}"`,
      });
    }
    if (error instanceof InvalidSignatureError) {
      return refuse({
        status: 403,
        reason: `the checkpoint's signature does not verify: ${error.message}`,
      });
    }
    return refuse({ status: 400, reason: `the checkpoint is malformed: ${messageOf(error)}` });
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpoint(body);
  } catch (error) {
    return refuse({ status: 400, reason: `the checkpoint is malformed: ${messageOf(error)}` });
  }
  const { oldSize, proof } = request;
  if (oldSize > checkpoint.size) {
    return refuse({
      status: 400,
      reason: `old size ${oldSize} is larger than the checkpoint's size ${checkpoint.size}`,
    });
  }
  const latestSize = args.latest?.size ?? 0;
  if (oldSize !== latestSize) {
    return refuse({
      status: 409,
      size: latestSize,
      reason: `old size ${oldSize} is not ${latestSize}, the size this witness cosigned last`,
    });
  }
  if (checkpoint.size === 0 && !bytesEqual(checkpoint.rootHash, emptyRoot())) {
    return refuse({ status: 422, reason: 'a checkpoint of size 0 must have the empty root' });
  }
  if (oldSize === 0 && proof.length > 0) {
    return refuse({ status: 422, reason: 'a proof from size 0 must be empty' });
  }
  if (args.latest && oldSize === checkpoint.size) {
    if (!bytesEqual(args.latest.rootHash, checkpoint.rootHash)) {
      return refuse({
        status: 422,
        reason:
          `the log signed another root at size ${checkpoint.size} than the one this witness ` +
          `cosigned (a fork): ${toBase64(checkpoint.rootHash)}, not ${toBase64(args.latest.rootHash)}`,
      });
    }
  }
  if (args.latest && oldSize > 0) {
    try {
      verifyConsistency({
        size1: oldSize,
        size2: checkpoint.size,
        proof: [...proof],
        root1: args.latest.rootHash,
        root2: checkpoint.rootHash,
      });
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      return refuse({
        status: 422,
        reason: `the consistency proof from size ${oldSize} to ${checkpoint.size} does not verify: ${error.message}`,
      });
    }
  }
  return { cosign: true, checkpoint, body };
}

/** The origin line of the request's checkpoint, or undefined if it is not a note at all. */
export function originOf(request: AddCheckpointRequest): string | undefined {
  const note = request.checkpoint;
  const firstLineEnd = note.indexOf('\n');
  if (note.lastIndexOf('\n\n') < 0 || firstLineEnd <= 0) return undefined;
  return note.slice(0, firstLineEnd);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
