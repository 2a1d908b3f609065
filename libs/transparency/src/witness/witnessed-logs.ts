import { createHash } from 'node:crypto';
import path from 'node:path';
import { formatVerifierKey, type VerifierKey } from '#ledger';
import { writeFileAtomically } from '../support/atomic-file.js';
import { TransparencyError } from '../support/errors.js';
import { messageOf } from '../support/text.js';
import { readWitnessState, WITNESS_STATE_FORMAT, type WitnessState } from './witness-state.js';

/** The lowercase hex SHA-256 of a log's origin: its name in URLs and in the state folder. */
export function originHash(origin: string): string {
  return createHash('sha256').update(origin, 'utf8').digest('hex');
}

/**
 * The logs a witness server witnesses, and what it remembers of each: in `stateDir`, one file
 * per log, `<sha256(origin) in hex>.json`, in the same format as `cuenta witness --state`
 * (the latest checkpoint cosigned, with the log's signature and the witness's cosignature).
 * `update` runs one log's read-decide-write at a time, so a check of the old size and the
 * write of the new checkpoint are atomic together (c2sp.org/tlog-witness); each write is
 * atomic on disk. One server per folder: two processes on one folder are not serialized.
 */
export class WitnessedLogs {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly stateDir: string,
    private readonly keys: ReadonlyMap<string, readonly VerifierKey[]>,
  ) {}

  /** The log keys trusted for `origin`, or undefined for a log this witness does not know. */
  trustedKeys(origin: string): readonly VerifierKey[] | undefined {
    return this.keys.get(origin);
  }

  origins(): string[] {
    return [...this.keys.keys()];
  }

  fileOf(origin: string): string {
    return path.join(this.stateDir, `${originHash(origin)}.json`);
  }

  /** The latest checkpoint cosigned for `origin`, or undefined if never. */
  async latest(origin: string): Promise<WitnessState | undefined> {
    const state = await readWitnessState(this.fileOf(origin));
    if (state && state.origin !== origin) {
      throw new TransparencyError(
        `the state file ${this.fileOf(origin)} is for "${state.origin}", not "${origin}"`,
      );
    }
    return state;
  }

  /**
   * Runs `step` with the latest state of `origin`, alone for that origin; if it returns a
   * checkpoint to keep, that is durably written before `update` resolves.
   */
  update<T>(
    origin: string,
    step: (
      latest: WitnessState | undefined,
    ) => Promise<{ keep?: Omit<WitnessState, 'format' | 'origin' | 'logKey'>; result: T }>,
  ): Promise<T> {
    const previous = this.queues.get(origin) ?? Promise.resolve();
    const run = previous.then(async () => {
      const { keep, result } = await step(await this.latest(origin));
      if (keep) {
        const keys = this.keys.get(origin) ?? [];
        const state: WitnessState = {
          format: WITNESS_STATE_FORMAT,
          origin,
          logKey: keys[0] ? formatVerifierKey(keys[0]) : '',
          ...keep,
        };
        try {
          await writeFileAtomically(this.fileOf(origin), `${JSON.stringify(state, null, 2)}\n`);
        } catch (error) {
          throw new TransparencyError(
            `the state of ${origin} could not be written to ${this.fileOf(origin)}: ${messageOf(error)}`,
          );
        }
      }
      return result;
    });
    const settled = run.catch(() => undefined);
    this.queues.set(origin, settled);
    void settled.then(() => {
      if (this.queues.get(origin) === settled) this.queues.delete(origin);
    });
    return run;
  }
}
