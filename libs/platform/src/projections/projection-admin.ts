import type { DataSource } from 'typeorm';
import type { EventStore } from '#event-store';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import {
  CHECKPOINTS,
  NO_STALL,
  RESET_CHANNEL,
  stallOf,
  type CheckpointRow,
  type ProjectionStall,
} from './checkpoints.js';
import {
  insertParkedEvent,
  NotStalledAtError,
  parkedEventsOf,
  ProjectionStalledError,
  type ParkedEvent,
  type ParkRequest,
} from './parked-events.js';
import type { Projection } from './projection.js';

/** Where a projection stands, as `cuenta projections status` and health show it. */
export interface ProjectionStatus {
  projection: string;
  /** The next global position it will apply. */
  checkpoint: number;
  stall: ProjectionStall | null;
  /** The events it skips, lowest position first. */
  parked: ParkedEvent[];
}

/** How rebuilding one projection went (see ProjectionRunner.rebuild). */
export type RebuildOutcome =
  | { status: 'rebuilt'; projection: string; events: number; ms: number }
  /** It stops on an event; the projections after it were rebuilt all the same. */
  | { status: 'stalled'; projection: string; error: ProjectionStalledError }
  /** Reset only: another runner is active, and it replays the projection from the log. */
  | { status: 'handed-over'; projection: string };

/**
 * Empties a projection's tables and sets its checkpoint back to 0, in one transaction, and
 * tells the active runner, wherever it runs, to start it over. The row exists (ensured).
 */
export async function resetProjection(
  dataSource: DataSource,
  projection: Projection,
): Promise<void> {
  const { name } = projection;
  await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT position FROM ${CHECKPOINTS} WHERE name = $1 FOR UPDATE`, [name]);
    await projection.reset(manager);
    await manager.query(
      `UPDATE ${CHECKPOINTS} SET position = 0, changes = changes + 1, updated_at = now(), ${NO_STALL}
        WHERE name = $1`,
      [name],
    );
    // Tells the active runner, wherever it runs, to start this projection over.
    await manager.query('SELECT pg_notify($1, $2)', [RESET_CHANNEL, name]);
  });
  projection.discard?.();
}

/**
 * Each named projection's checkpoint, its stall and its parked events. The stall is the one
 * the last runner to try the event recorded, whichever process that was; else `seen`: a
 * failure only the asking runner saw while active (one that names no event, such as a failed
 * read of the log).
 */
export async function projectionStatus(
  dataSource: DataSource,
  names: readonly string[],
  seen: (name: string) => ProjectionStall | undefined,
): Promise<ProjectionStatus[]> {
  const rows: CheckpointRow[] = await dataSource.query(
    `SELECT name, position, stalled_at, stall_error, stalled_since, stall_attempts
       FROM ${CHECKPOINTS} WHERE name = ANY($1::text[])`,
    [names],
  );
  const parked = await parkedEventsOf(dataSource, [...names]);
  return names.map((name) => {
    const row = rows.find((r) => r.name === name);
    const own = parked.filter((p) => p.projection === name);
    const stall = seen(name);
    const unparked = stall && !own.some((p) => p.position === stall.checkpoint) ? stall : null;
    return {
      projection: name,
      checkpoint: row ? Number(row.position) : 0,
      stall: (row && stallOf(row)) ?? unparked,
      parked: own,
    };
  });
}

/**
 * Parks the event the projection `name` is stalled at (see ProjectionRunner.park).
 * @throws InvalidInputError (position, empty reason), NotStalledAtError; nothing is written then.
 */
export async function parkStalledEvent(
  store: EventStore,
  dataSource: DataSource,
  name: string,
  request: ParkRequest,
): Promise<ParkedEvent> {
  const { position } = request;
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new InvalidInputError('position', 'must be a whole number, 0 or more');
  }
  const reason = request.reason.trim();
  if (reason === '') throw new InvalidInputError('reason', 'must not be empty');
  // The log is append-only: the event read now is the one the projection failed on.
  const [event] = await store.readAll({ from: position, limit: 1, raw: true });
  return dataSource.transaction(async (manager) => {
    const rows: CheckpointRow[] = await manager.query(
      `SELECT name, position, stalled_at, stall_error, stalled_since, stall_attempts
         FROM ${CHECKPOINTS} WHERE name = $1 FOR UPDATE`,
      [name],
    );
    const checkpoint = rows.length === 0 ? 0 : Number(rows[0].position);
    const stall = rows.length === 0 ? null : stallOf(rows[0]);
    if (stall?.checkpoint !== position || checkpoint !== position || event?.position !== position) {
      throw new NotStalledAtError(name, position, stall?.checkpoint ?? null, checkpoint);
    }
    const parked = await insertParkedEvent(manager, {
      projection: name,
      event,
      error: stall.error,
      reason,
      parkedBy: request.parkedBy ?? null,
    });
    // The next attempt skips it: the projection is no longer stuck.
    await manager.query(`UPDATE ${CHECKPOINTS} SET ${NO_STALL} WHERE name = $1`, [name]);
    return parked;
  });
}

/**
 * Rebuilds the named projections one at a time: `reset` one, then `catchUpOnce` it, then the
 * next. One that stops on an event does not keep the others from being rebuilt; when
 * `catchUpOnce` finds another runner active, the projection is handed over to it.
 * @throws any failure other than a stall, leaving the projections after it untouched
 */
export async function rebuildProjections(
  names: readonly string[],
  runner: {
    reset(name: string): Promise<void>;
    catchUpOnce(names: string[]): Promise<Record<string, number> | undefined>;
  },
): Promise<RebuildOutcome[]> {
  const outcomes: RebuildOutcome[] = [];
  for (const name of names) {
    await runner.reset(name);
    const started = performance.now();
    try {
      const applied = await runner.catchUpOnce([name]);
      outcomes.push(
        applied === undefined
          ? { status: 'handed-over', projection: name }
          : {
              status: 'rebuilt',
              projection: name,
              events: applied[name],
              ms: performance.now() - started,
            },
      );
    } catch (error) {
      if (!(error instanceof ProjectionStalledError)) throw error;
      outcomes.push({ status: 'stalled', projection: name, error });
    }
  }
  return outcomes;
}
