import type { DataSource } from 'typeorm';
import type { RecordedEvent } from '#event-store';
import { PARKED_EVENTS } from './parked-events.js';
import type { Projection } from './projection.js';

export const CHECKPOINTS = 'read.projection_checkpoints';
/** Clears a recorded stall, in an UPDATE of the checkpoint row. */
export const NO_STALL =
  'stalled_at = NULL, stall_error = NULL, stalled_since = NULL, stall_attempts = NULL';

/** A projection that cannot get past an event: it retries, and operators see it in health. */
export interface ProjectionStall {
  projection: string;
  /** The position it is stuck at: its checkpoint, the event it cannot apply. */
  checkpoint: number;
  error: string;
  since: Date;
  attempts: number;
}

/** A checkpoint row: a stall is recorded in full or not at all (a CHECK constraint). */
export type CheckpointRow = { name: string; position: string } & (
  | { stalled_at: null }
  | { stalled_at: string; stall_error: string; stalled_since: Date; stall_attempts: number }
);

export function stallOf(row: CheckpointRow): ProjectionStall | null {
  if (row.stalled_at === null) return null;
  return {
    projection: row.name,
    checkpoint: Number(row.stalled_at),
    error: row.stall_error,
    since: row.stalled_since,
    attempts: row.stall_attempts,
  };
}

/** The batch's checkpoint is no longer the one it was read from: a reset or another runner. */
export class CheckpointMovedError extends Error {
  constructor(name: string, expected: number, found: number) {
    super(`checkpoint of ${name} moved from ${expected} to ${found}`);
  }
}

/** The projections' checkpoint rows: where each stands, and batches that move them. */
export class Checkpoints {
  /** Called after each batch this process commits (see `onCommit`). */
  private readonly committed = new Set<() => void>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly names: readonly string[],
  ) {}

  /**
   * Calls `listener` after each batch committed through this object: a checkpoint moved in
   * this process. Returns the function that stops it.
   */
  onCommit(listener: () => void): () => void {
    this.committed.add(listener);
    return () => this.committed.delete(listener);
  }

  /** Creates the missing rows, at position 0. */
  async ensure(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${CHECKPOINTS} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
      [this.names],
    );
  }

  /** Each projection's checkpoint: the next global position it will apply. */
  async positions(): Promise<Record<string, number>> {
    await this.ensure();
    const rows: { name: string; position: string }[] = await this.dataSource.query(
      `SELECT name, position FROM ${CHECKPOINTS} WHERE name = ANY($1::text[])`,
      [this.names],
    );
    return Object.fromEntries(rows.map((row) => [row.name, Number(row.position)]));
  }

  /**
   * One transaction: checks that the checkpoint is at `expected`, applies the events that are
   * not parked, and moves the checkpoint to `next` (clearing any stall). The parked positions
   * are read under the checkpoint row's lock, which parking takes too. Resolves with the
   * number of events applied.
   * @throws CheckpointMovedError; whatever the projection throws
   */
  async commit(
    projection: Projection,
    events: readonly RecordedEvent[],
    expected: number,
    next: number,
  ): Promise<number> {
    const applied = await this.dataSource.transaction(async (manager) => {
      const rows: { position: string; parked: string[] }[] = await manager.query(
        `SELECT c.position,
                ARRAY(SELECT p.position FROM ${PARKED_EVENTS} p
                       WHERE p.projection = c.name AND p.position >= $2 AND p.position < $3
                ) AS parked
           FROM ${CHECKPOINTS} c WHERE c.name = $1 FOR UPDATE OF c`,
        [projection.name, expected, next],
      );
      const found = rows.length === 0 ? -1 : Number(rows[0].position);
      if (found !== expected) throw new CheckpointMovedError(projection.name, expected, found);
      const parked = new Set(rows[0].parked.map(Number));
      const kept = parked.size === 0 ? events : events.filter((e) => !parked.has(e.position));
      if (kept.length > 0) await projection.apply(kept, manager);
      // `changes` counts the batches that applied something: what `readVersion` keys on.
      await manager.query(
        `UPDATE ${CHECKPOINTS} SET position = $2, changes = changes + $3, updated_at = now(),
           ${NO_STALL} WHERE name = $1`,
        [projection.name, next, kept.length > 0 ? 1 : 0],
      );
      return kept.length;
    });
    for (const listener of [...this.committed]) listener();
    return applied;
  }

  /**
   * Records on the checkpoint row that the projection cannot apply the event at `position`,
   * and moves the checkpoint there from `from` (the events in between are not its own). Not
   * when the event is parked meanwhile: then the next attempt skips it.
   */
  async recordStall(name: string, from: number, position: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${CHECKPOINTS} SET
         position = $3,
         stall_attempts = CASE WHEN stalled_at = $3 THEN stall_attempts + 1 ELSE 1 END,
         stalled_since = CASE WHEN stalled_at = $3 THEN stalled_since ELSE now() END,
         stalled_at = $3,
         stall_error = $4
       WHERE name = $1 AND position = $2
         AND NOT EXISTS (SELECT FROM ${PARKED_EVENTS} WHERE projection = $1 AND position = $3)`,
      [name, from, position, error],
    );
  }
}

/** Notified (with the projection's name) when a reset moves a checkpoint back. */
export const RESET_CHANNEL = 'cuenta_projection_reset';
