import { writeFile } from 'node:fs/promises';
import {
  checkGrowth,
  cosignCheckpoint,
  decodeProofHashes,
  formatVerifierKey,
  nextWitnessStep,
  openCheckpoint,
  parseVerifierKey,
  toBase64,
  type OpenedCheckpoint,
  type SignerKey,
  type VerifierKey,
} from '#ledger';
import { TransparencyError } from '../support/errors.js';
import type { LogClient } from './log-client.js';
import {
  readWitnessState,
  WITNESS_STATE_FORMAT,
  writeWitnessState,
  type WitnessState,
} from './witness-state.js';

/** The witness refused to cosign: the log rewrote its history. The message names the evidence. */
export class WitnessRefusal extends TransparencyError {
  override readonly name: string = 'WitnessRefusal';
}

/** The log key the caller pinned is not the one pinned in the witness's state. */
export class PinnedKeyConflictError extends TransparencyError {
  override readonly name: string = 'PinnedKeyConflictError';

  constructor(
    readonly given: string,
    readonly pinned: string,
  ) {
    super(`the log key ${given} is not the key pinned in the state file (${pinned})`);
  }
}

export type WitnessOutcome =
  | { outcome: 'nothing-new'; origin: string; size: number; cosignedAt: string }
  | {
      outcome: 'cosigned';
      origin: string;
      size: number;
      rootHash: Uint8Array;
      /** The size cosigned before, or undefined at first contact. */
      previousSize: number | undefined;
    };

export interface WitnessRoundOptions {
  /** The witness's own signer key. */
  witnessKey: SignerKey;
  /** The witness's memory of this log (JSON); missing or empty means first contact. */
  stateFile: string;
  client: LogClient;
  /** The log key obtained out of band; without it, the state's, or at first contact the server's. */
  logKey?: VerifierKey;
  /** Told when the log key is taken as the server announces it (first contact, none pinned). */
  onFirstContact?: (announcedKey: string, endpoint: string) => void;
  now?: () => Date;
}

/**
 * One round of witnessing a log: fetch its latest checkpoint, check the log's signature, check
 * with a consistency proof that the log only grew since the checkpoint cosigned last (the
 * rules are libs/ledger's `nextWitnessStep` and `checkGrowth`), cosign, submit the
 * cosignature, and only then record the new checkpoint in the state file (atomically). A
 * rewritten history is refused with WitnessRefusal, after saving both signed checkpoints as
 * evidence beside the state file. On any failure the state file is left as it was.
 */
export async function witnessRound(options: WitnessRoundOptions): Promise<WitnessOutcome> {
  const { client, stateFile, witnessKey } = options;
  const now = options.now ?? (() => new Date());
  const state = await readWitnessState(stateFile);
  const logKey = await resolveLogKey(options, state);

  const latest = await client.latestCheckpoint();
  if (!latest) throw new TransparencyError(`${client.endpoint} has no signed checkpoint yet`);
  const opened = openLogCheckpoint(latest.note, logKey);
  const served = opened.checkpoint;
  if (latest.size !== served.size) {
    throw new TransparencyError(
      `the log said size ${latest.size} but its signed checkpoint says ${served.size}`,
    );
  }
  const refuse = async (reason: string, proof: string[]) =>
    new WitnessRefusal(
      await refusal(stateFile, state as WitnessState, latest.note, proof, reason, now()),
    );

  const step = nextWitnessStep(state, served);
  if (step.step === 'refuse') throw await refuse(step.reason, []);
  if (step.step === 'nothing-new') {
    const held = state as WitnessState;
    return {
      outcome: 'nothing-new',
      origin: held.origin,
      size: served.size,
      cosignedAt: held.cosignedAt,
    };
  }

  const proof = await client.consistencyProof(step.fromSize, served.size);
  const growth = checkGrowth({
    cosigned: state,
    from: { size: step.fromSize, root: step.fromRoot },
    served,
    proof: decodeProofHashes(proof),
  });
  if (!growth.consistent) throw await refuse(growth.reason, proof);

  const cosignedAt = Math.floor(now().getTime() / 1000);
  const line = cosignCheckpoint({
    signerKey: witnessKey,
    checkpointBody: opened.body,
    timestamp: cosignedAt,
  });
  await client.submitCosignature(served.size, line);
  await writeWitnessState(stateFile, {
    format: WITNESS_STATE_FORMAT,
    origin: logKey.name,
    logKey: state?.logKey ?? formatVerifierKey(logKey),
    size: served.size,
    rootHash: toBase64(served.rootHash),
    checkpoint: latest.note,
    cosignedAt: new Date(cosignedAt * 1000).toISOString(),
  });
  return {
    outcome: 'cosigned',
    origin: logKey.name,
    size: served.size,
    rootHash: served.rootHash,
    previousSize: state ? step.fromSize : undefined,
  };
}

async function resolveLogKey(
  options: WitnessRoundOptions,
  state: WitnessState | undefined,
): Promise<VerifierKey> {
  const { logKey: given, client } = options;
  if (state) {
    const pinned = parseVerifierKey(state.logKey);
    if (given && formatVerifierKey(given) !== formatVerifierKey(pinned)) {
      throw new PinnedKeyConflictError(formatVerifierKey(given), state.logKey);
    }
    return pinned;
  }
  if (given) return given;
  const info = await client.ledgerInfo();
  const key = parseVerifierKey(info.verifierKey);
  options.onFirstContact?.(info.verifierKey, client.endpoint);
  return key;
}

function openLogCheckpoint(note: string, logKey: VerifierKey): OpenedCheckpoint {
  try {
    return openCheckpoint({ note, origin: logKey.name, logKey });
  } catch (error) {
    throw new TransparencyError(
      `the log's latest checkpoint does not verify with ${formatVerifierKey(logKey)}: ${(error as Error).message}`,
    );
  }
}

/**
 * The message of a refusal, after saving what proves it: the checkpoint this witness cosigned
 * and the conflicting one, both signed by the log (two signed checkpoints that cannot both be
 * true are evidence anyone can check).
 */
async function refusal(
  stateFile: string,
  state: WitnessState,
  conflicting: string,
  proof: string[],
  reason: string,
  now: Date,
): Promise<string> {
  const evidence = `${stateFile}.conflict-${now.getTime()}.txt`;
  const text =
    `${reason}\n\n` +
    `The checkpoint this witness cosigned at ${state.cosignedAt}:\n\n${state.checkpoint}\n` +
    `The checkpoint the log served at ${now.toISOString()}:\n\n${conflicting}\n` +
    (proof.length > 0 ? `The consistency proof it served:\n${proof.join('\n')}\n` : '');
  try {
    await writeFile(evidence, text, { flag: 'wx' });
    return `refusing to cosign: ${reason}; evidence saved in ${evidence}; state unchanged`;
  } catch {
    return `refusing to cosign: ${reason}; state unchanged`;
  }
}
