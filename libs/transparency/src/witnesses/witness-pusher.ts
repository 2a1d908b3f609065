import {
  formatAddCheckpointRequest,
  InvalidSignatureError,
  MalformedNoteError,
  parseWitnessKey,
  TLOG_SIZE_CONTENT_TYPE,
  UnverifiedNoteError,
  verifyCosignature,
  type VerifierKey,
} from '#ledger';
import { LeaderTurns, type SingleLeaderLease } from '../support/single-leader-lease.js';
import { messageOf } from '../support/text.js';
import type { PostgresLedger, StoredCheckpoint } from '../log/postgres-ledger.js';
import type { RosterWitness } from './witness-roster.js';

/** How many 409 answers one push follows before it gives up until the next round. */
const MAX_CONFLICTS = 3;

/** Advisory lock key of the instance that pushes checkpoints to witnesses ('cwit'). */
export const WITNESS_PUSH_LOCK = 0x63776974;

/** Who pushes, when several API processes share one database (lock key WITNESS_PUSH_LOCK). */
export type PushLease = SingleLeaderLease;

export interface WitnessPusherOptions {
  /** The trusted witnesses now (the log's roster). */
  witnesses: () => Promise<RosterWitness[]>;
  /** How often to look for a checkpoint to push (default 1 s). */
  tickMs?: number;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** The first retry after a transient failure (default 1 s), doubled each time... */
  backoffMs?: number;
  /** ...up to this (default 5 minutes). */
  maxBackoffMs?: number;
  /**
   * With several processes on one database, only the lease's holder pushes; the others try
   * to take it every `standbyMs` (default 5 s). Without it, this process pushes.
   */
  lease?: PushLease;
  standbyMs?: number;
  log?: (line: string) => void;
}

export type PushOutcome =
  | { outcome: 'cosigned'; size: number; cosignatures: number }
  /** A 4xx answer (409 aside): not retried for this checkpoint. */
  | { outcome: 'refused'; size: number; status: number; reason: string }
  /** Unreachable, a 5xx, or an answer that does not verify: retried with backoff. */
  | { outcome: 'failed'; size: number; reason: string };

/** What the pusher knows of one witness. */
interface Progress {
  /** The size the witness cosigned last, as far as the log knows (0 until it says). */
  witnessSize: number;
  /** The largest checkpoint this witness cosigned or refused: nothing to push below it. */
  settledSize: number;
  failures: number;
  retryAt: number;
}

/**
 * Pushes each new checkpoint to the log's witnesses with `add-checkpoint`
 * (c2sp.org/tlog-witness): the size the witness cosigned last, a consistency proof from it,
 * the signed checkpoint. A 409 answer gives the witness's size, and the push is sent again
 * from there; any other 4xx is the witness's final word on that checkpoint; anything else
 * (unreachable, 5xx, an answer that does not verify) is retried with exponential backoff.
 * Cosignatures by the witness's key are verified and stored with the checkpoint; lines by
 * other keys are ignored, as the specification asks.
 *
 * What it knows of each witness starts from what the log and the witness hold, not from
 * memory: the largest checkpoint whose cosignature by the witness is stored is the size the
 * witness holds, and the next push is from there; should the witness hold another size (a
 * cosignature lost on the way), its 409 answer names it and the push is sent again from it.
 * So a restart, or another process taking over the lease, resumes where pushing stopped.
 */
export class WitnessPusher {
  private readonly progress = new Map<string, Progress>();
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private readonly turns: LeaderTurns;

  constructor(
    private readonly ledger: PostgresLedger,
    private readonly options: WitnessPusherOptions,
  ) {
    this.turns = new LeaderTurns(options.lease, {
      standbyMs: options.standbyMs ?? 5000,
      name: 'the witness pusher',
      // Another process may have pushed meanwhile: start again from what the log holds.
      onTakeOver: () => {
        this.progress.clear();
        options.log?.('pushing checkpoints to witnesses from this process');
      },
      onLetGo: () => this.progress.clear(),
      log: options.log,
    });
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.tickMs ?? 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.busy;
    await this.turns.letGo();
  }

  /** Whether this process pushes: it holds the lease, or there is none. */
  get active(): boolean {
    return this.turns.active;
  }

  /**
   * One round: the latest checkpoint to every witness that has not settled it and is not
   * waiting out a backoff. Returns each push's outcome by witness name.
   */
  async tick(now = Date.now()): Promise<Map<string, PushOutcome>> {
    const outcomes = new Map<string, PushOutcome>();
    if (this.busy) return outcomes;
    this.busy = (async () => {
      try {
        if (!(await this.turns.lead(now))) return;
        const [latest, witnesses] = await Promise.all([
          this.ledger.latestCheckpoint(),
          this.options.witnesses(),
        ]);
        const current = new Set(witnesses.map(identity));
        for (const id of this.progress.keys()) if (!current.has(id)) this.progress.delete(id);
        if (!latest) return;
        await Promise.all(
          witnesses.map(async (witness) => {
            const progress = await this.progressOf(witness);
            if (progress.settledSize >= latest.size || now < progress.retryAt) return;
            const outcome = await this.push(witness, latest, progress);
            this.settle(witness, progress, outcome, now);
            outcomes.set(witness.name, outcome);
          }),
        );
      } catch (error) {
        this.options.log?.(`pushing checkpoints to witnesses failed: ${messageOf(error)}`);
      }
    })();
    await this.busy;
    this.busy = undefined;
    return outcomes;
  }

  /**
   * What is known of `witness`: from this process's pushes, or, the first time, from the log:
   * the largest checkpoint whose cosignature by it is stored is the size it holds, and settled.
   */
  private async progressOf(witness: RosterWitness): Promise<Progress> {
    const id = identity(witness);
    let progress = this.progress.get(id);
    if (!progress) {
      const size = await this.ledger.cosignedSize(parseWitnessKey(witness.verifierKey));
      progress = { witnessSize: size, settledSize: size, failures: 0, retryAt: 0 };
      this.progress.set(id, progress);
    }
    return progress;
  }

  private settle(witness: RosterWitness, progress: Progress, outcome: PushOutcome, now: number) {
    const { log } = this.options;
    if (outcome.outcome === 'failed') {
      progress.failures += 1;
      const delay = Math.min(
        (this.options.backoffMs ?? 1000) * 2 ** (progress.failures - 1),
        this.options.maxBackoffMs ?? 300_000,
      );
      progress.retryAt = now + delay;
      log?.(
        `witness ${witness.name} (${witness.url}): checkpoint ${outcome.size} not cosigned: ` +
          `${outcome.reason}; retrying in ${Math.round(delay / 1000)} s`,
      );
      return;
    }
    progress.failures = 0;
    progress.retryAt = 0;
    progress.settledSize = outcome.size;
    if (outcome.outcome === 'cosigned') {
      progress.witnessSize = outcome.size;
      log?.(`witness ${witness.name} cosigned checkpoint ${outcome.size}`);
    } else {
      log?.(
        `witness ${witness.name} (${witness.url}) refused checkpoint ${outcome.size} with ` +
          `HTTP ${outcome.status}: ${outcome.reason}`,
      );
    }
  }

  /** One push of `checkpoint`, following the witness's 409 answers. */
  async push(
    witness: RosterWitness,
    checkpoint: StoredCheckpoint,
    progress: Pick<Progress, 'witnessSize'> = { witnessSize: 0 },
  ): Promise<PushOutcome> {
    const { size } = checkpoint;
    const key = parseWitnessKey(witness.verifierKey);
    for (let conflicts = 0; conflicts <= MAX_CONFLICTS; conflicts++) {
      const oldSize = progress.witnessSize;
      if (oldSize > size) {
        return {
          outcome: 'refused',
          size,
          status: 409,
          reason: `the witness cosigned size ${oldSize}, beyond this checkpoint: it waits for a larger one`,
        };
      }
      const proof = await this.ledger.consistencyProof({ fromSize: oldSize, toSize: size });
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${witness.url}/add-checkpoint`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: formatAddCheckpointRequest({ oldSize, proof, checkpoint: checkpoint.note }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        text = await response.text();
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        return { outcome: 'failed', size, reason: `unreachable: ${messageOf(cause ?? error)}` };
      }
      if (response.status === 200) return this.keep(key, checkpoint, text);
      if (response.status === 409) {
        const witnessSize = conflictSize(response, text);
        if (witnessSize === undefined) {
          return {
            outcome: 'failed',
            size,
            reason: `a 409 answer without its size as ${TLOG_SIZE_CONTENT_TYPE}`,
          };
        }
        progress.witnessSize = witnessSize;
        continue;
      }
      const reason = oneLine(text) || response.statusText;
      if (response.status >= 400 && response.status < 500) {
        return { outcome: 'refused', size, status: response.status, reason };
      }
      return { outcome: 'failed', size, reason: `HTTP ${response.status}: ${reason}` };
    }
    return { outcome: 'failed', size, reason: `${MAX_CONFLICTS + 1} conflicts in a row (409)` };
  }

  /** Verifies the answer's cosignatures by the witness's key and stores them. */
  private async keep(
    key: VerifierKey,
    checkpoint: StoredCheckpoint,
    text: string,
  ): Promise<PushOutcome> {
    const { size } = checkpoint;
    const body = checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1);
    const lines = text.split('\n').filter((line) => line !== '');
    let kept = 0;
    for (const line of lines) {
      try {
        verifyCosignature({ line, checkpointBody: body, witnessKeys: [key] });
      } catch (error) {
        // Lines by keys other than the witness's are ignored (c2sp.org/tlog-witness).
        if (error instanceof UnverifiedNoteError) continue;
        if (error instanceof InvalidSignatureError || error instanceof MalformedNoteError) {
          return {
            outcome: 'failed',
            size,
            reason: `its answer does not verify: ${error.message}`,
          };
        }
        throw error;
      }
      await this.ledger.addCosignature({ size, line, witnessKeys: [key] });
      kept += 1;
    }
    if (kept === 0) {
      return { outcome: 'failed', size, reason: 'its answer holds no cosignature by its key' };
    }
    return { outcome: 'cosigned', size, cosignatures: kept };
  }
}

function identity(witness: RosterWitness): string {
  return `${witness.verifierKey} ${witness.url}`;
}

function conflictSize(response: Response, text: string): number | undefined {
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
  const match = /^(0|[1-9][0-9]*)\n$/.exec(text);
  if (type !== TLOG_SIZE_CONTENT_TYPE || !match) return undefined;
  const size = Number(match[1]);
  return Number.isSafeInteger(size) ? size : undefined;
}

function oneLine(text: string): string {
  return text.trim().replace(/\s+/g, ' ').slice(0, 300);
}
