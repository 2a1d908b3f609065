import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { EventStore, RecordedEvent, Subscription } from '#event-store';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import {
  insertParkedEvent,
  NotStalledAtError,
  PARKED_EVENTS,
  parkedEventsOf,
  ProjectionStalledError,
  UnknownProjectionError,
  type ParkedEvent,
  type ParkRequest,
} from './parked-events.js';
import type { Projection } from './projection.js';
import { ABORTED, raceAbort } from './race-abort.js';

export interface ProjectionRunnerOptions {
  /** For the advisory-lock connection. */
  connectionString: string;
  /** Events per transaction at most (default 2000). */
  batchSize?: number;
  /**
   * How soon a failed batch is retried, and a runner whose lock session died tries to take
   * the lock again (ms, default 500). A standby tries four times as often, so another replica
   * takes over first when one dies, and a lone runner resumes within about half a second of a
   * restart or failover (writes wait for the read models).
   */
  retryMs?: number;
  /** How often the active runner checks that its lock connection is alive (ms, default 2000). */
  heartbeatMs?: number;
  log?: (line: string) => void;
}

/** A projection that cannot get past an event: it retries, and operators see it in health. */
export interface ProjectionStall {
  projection: string;
  /** The position it is stuck at: its checkpoint, the event it cannot apply. */
  checkpoint: number;
  error: string;
  since: Date;
  attempts: number;
}

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

/** A checkpoint row: a stall is recorded in full or not at all (a CHECK constraint). */
type CheckpointRow = { name: string; position: string } & (
  | { stalled_at: null }
  | { stalled_at: string; stall_error: string; stalled_since: Date; stall_attempts: number }
);

function stallOf(row: CheckpointRow): ProjectionStall | null {
  if (row.stalled_at === null) return null;
  return {
    projection: row.name,
    checkpoint: Number(row.stalled_at),
    error: row.stall_error,
    since: row.stalled_since,
    attempts: row.stall_attempts,
  };
}

/** Advisory lock key of the active runner ('cprj'); one holder per database. */
export const PROJECTION_LOCK = 0x6370726a;

const CHECKPOINTS = 'read.projection_checkpoints';
/** Clears a recorded stall, in an UPDATE of the checkpoint row. */
const NO_STALL =
  'stalled_at = NULL, stall_error = NULL, stalled_since = NULL, stall_attempts = NULL';
/** Notified (with the projection's name) when a reset moves a checkpoint back. */
const RESET_CHANNEL = 'cuenta_projection_reset';

/** The batch's checkpoint is no longer the one it was read from: a reset or another runner. */
class CheckpointMovedError extends Error {
  constructor(name: string, expected: number, found: number) {
    super(`checkpoint of ${name} moved from ${expected} to ${found}`);
  }
}

const IDLE = Symbol('idle');

/**
 * Feeds projections from the log. Each batch is applied in one transaction that first locks
 * the projection's checkpoint row and checks it is where the batch starts, then moves it:
 * every event takes effect exactly once, and a crash anywhere leaves the rows and the
 * checkpoint in step (restart-safe).
 *
 * Only one runner is active per database: the one holding a session advisory lock. Others
 * wait as standbys and try again every `retryMs / 4`; when the active runner's process dies its
 * session ends, the lock is released, and a standby takes over from the checkpoints. The
 * checkpoint check keeps even an overlap (a runner that lost its lock connection but not
 * yet its work) from applying anything twice.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly stalls = new Map<string, ProjectionStall>();
  private readonly retryMs: number;
  private readonly heartbeatMs: number;
  private readonly log: (line: string) => void;
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private lockClient: pg.Client | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.retryMs = options.retryMs ?? 500;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.log = options.log ?? (() => undefined);
  }

  /**
   * Projections whose last batch failed here, while this runner was active, and that have not
   * committed one since. Forgotten when the runner lets the lock go: the runner that takes
   * over may get past the event.
   */
  get stalled(): ProjectionStall[] {
    return [...this.stalls.values()];
  }

  /** True while this runner holds the lock and feeds the projections. */
  get active(): boolean {
    return this.lockClient !== undefined;
  }

  /** Starts following the log in the background (as a standby until the lock is free). */
  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /** Each projection's checkpoint: the next global position it will apply. */
  async checkpoints(): Promise<Record<string, number>> {
    await this.ensureCheckpoints();
    const rows: { name: string; position: string }[] = await this.dataSource.query(
      `SELECT name, position FROM ${CHECKPOINTS} WHERE name = ANY($1::text[])`,
      [this.projections.map((p) => p.name)],
    );
    return Object.fromEntries(rows.map((row) => [row.name, Number(row.position)]));
  }

  /**
   * Empties a projection's tables and sets its checkpoint back to 0, in one transaction. An
   * active runner (here or in another process) notices and replays it from the log.
   */
  async reset(name: string): Promise<void> {
    const projection = this.projection(name);
    await this.ensureCheckpoints();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT position FROM ${CHECKPOINTS} WHERE name = $1 FOR UPDATE`, [name]);
      await projection.reset(manager);
      await manager.query(
        `UPDATE ${CHECKPOINTS} SET position = 0, updated_at = now(), ${NO_STALL} WHERE name = $1`,
        [name],
      );
      // Tells the active runner, wherever it runs, to start this projection over.
      await manager.query('SELECT pg_notify($1, $2)', [RESET_CHANNEL, name]);
    });
    projection.discard?.();
  }

  /**
   * Each projection's checkpoint, its stall and its parked events. The stall is the one the
   * last runner to try the event recorded, whichever process that was; else, while this
   * runner is the active one, a failure only it saw (one that names no event, such as a
   * failed read of the log).
   */
  async status(): Promise<ProjectionStatus[]> {
    const names = this.projections.map((p) => p.name);
    const rows: CheckpointRow[] = await this.dataSource.query(
      `SELECT name, position, stalled_at, stall_error, stalled_since, stall_attempts
         FROM ${CHECKPOINTS} WHERE name = ANY($1::text[])`,
      [names],
    );
    const parked = await parkedEventsOf(this.dataSource, names);
    return names.map((name) => {
      const row = rows.find((r) => r.name === name);
      const own = parked.filter((p) => p.projection === name);
      const seen = this.active ? this.stalls.get(name) : undefined;
      const unparked = seen && !own.some((p) => p.position === seen.checkpoint) ? seen : null;
      return {
        projection: name,
        checkpoint: row ? Number(row.position) : 0,
        stall: (row && stallOf(row)) ?? unparked,
        parked: own,
      };
    });
  }

  /**
   * Parks the event a projection is stalled at: the projection skips that position from
   * then on, in every runner and on every rebuild, and health reports it. Only the position
   * of the recorded stall is accepted, and only while it stands; the record (the event, the
   * error, the reason, who) goes to an append-only table.
   * @throws UnknownProjectionError, InvalidInputError (position, empty reason),
   *   NotStalledAtError; nothing is written then.
   */
  async park(request: ParkRequest): Promise<ParkedEvent> {
    const { name } = this.projection(request.projection);
    const { position } = request;
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new InvalidInputError('position', 'must be a whole number, 0 or more');
    }
    const reason = request.reason.trim();
    if (reason === '') throw new InvalidInputError('reason', 'must not be empty');
    // The log is append-only: the event read now is the one the projection failed on.
    const [event] = await this.store.readAll({ from: position, limit: 1, raw: true });
    return this.dataSource.transaction(async (manager) => {
      const rows: CheckpointRow[] = await manager.query(
        `SELECT name, position, stalled_at, stall_error, stalled_since, stall_attempts
           FROM ${CHECKPOINTS} WHERE name = $1 FOR UPDATE`,
        [name],
      );
      const checkpoint = rows.length === 0 ? 0 : Number(rows[0].position);
      const stall = rows.length === 0 ? null : stallOf(rows[0]);
      if (
        stall?.checkpoint !== position ||
        checkpoint !== position ||
        event?.position !== position
      ) {
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
   * Takes the lock if it is free, applies everything up to the log's head to the named
   * projections (all by default), and lets the lock go. Resolves with the number of events
   * applied per projection, or undefined when another runner is active.
   */
  async catchUpOnce(names?: string[]): Promise<Record<string, number> | undefined> {
    if (!(await this.acquire())) return undefined;
    try {
      await this.ensureCheckpoints();
      const applied: Record<string, number> = {};
      for (const projection of this.selected(names)) {
        applied[projection.name] = await this.catchUp(projection);
      }
      return applied;
    } finally {
      await this.release();
    }
  }

  /**
   * Rebuilds the named projections (all by default) one at a time: empties one and sets its
   * checkpoint to 0, applies the log to it up to the head (skipping parked events), then goes
   * on to the next. One that stops on an event does not keep the others from being rebuilt.
   * When another runner is active, each projection is only reset, and that runner replays it.
   * @throws UnknownProjectionError before anything is reset; any failure other than a stall,
   *   leaving the projections after the one it hit untouched
   */
  async rebuild(names?: string[]): Promise<RebuildOutcome[]> {
    const outcomes: RebuildOutcome[] = [];
    for (const { name } of this.selected(names)) {
      await this.reset(name);
      const started = performance.now();
      try {
        const applied = await this.catchUpOnce([name]);
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

  private selected(names: string[] | undefined): readonly Projection[] {
    return names === undefined ? this.projections : names.map((name) => this.projection(name));
  }

  private projection(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) {
      throw new UnknownProjectionError(
        name,
        this.projections.map((p) => p.name),
      );
    }
    return projection;
  }

  private async loop(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      let lost = false;
      try {
        if (await this.acquire()) {
          lost = true;
          this.log('projection runner active');
          try {
            await this.runActive(signal);
          } finally {
            await this.release();
          }
          if (!signal.aborted) this.log('projection runner lost its lock; standing by');
        }
      } catch (error) {
        this.log(`projection runner: ${(error as Error).message}`);
      }
      const pause = lost ? this.retryMs : this.retryMs / 4;
      await sleep(pause, undefined, { signal }).catch(() => undefined);
    }
  }

  private async acquire(): Promise<boolean> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: 'cuenta-projection-runner',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [PROJECTION_LOCK],
      );
      if (rows[0].locked) {
        this.lockClient = client;
        return true;
      }
    } catch {
      // the database is unreachable: stay a standby
    }
    await client.end().catch(() => undefined);
    return false;
  }

  private async release(): Promise<void> {
    const client = this.lockClient;
    this.lockClient = undefined;
    // What it saw may no longer hold: the runner that takes over may get past the event.
    this.stalls.clear();
    if (!client) return;
    await client.query('SELECT pg_advisory_unlock($1)', [PROJECTION_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /** Follows the log until stopped or until the lock connection fails. */
  private async runActive(stop: AbortSignal): Promise<void> {
    await this.ensureCheckpoints();
    const lost = new AbortController();
    const onStop = () => lost.abort();
    stop.addEventListener('abort', onStop);
    if (stop.aborted) lost.abort(); // stopped while the lock was being taken
    const client = this.lockClient;
    client?.once('error', () => lost.abort());
    client?.once('end', () => lost.abort());
    const heartbeat = setInterval(() => {
      client?.query('SELECT 1').catch(() => lost.abort());
    }, this.heartbeatMs);
    const restarts = new Map<string, () => void>();
    const onReset = (message: pg.Notification) => {
      if (message.channel === RESET_CHANNEL) restarts.get(message.payload ?? '')?.();
    };
    client?.on('notification', onReset);
    try {
      await client?.query(`LISTEN ${RESET_CHANNEL}`);
      await Promise.all(
        this.projections.map((p) =>
          this.follow(p, lost.signal, (restart) => restarts.set(p.name, restart)),
        ),
      );
    } finally {
      clearInterval(heartbeat);
      client?.off('notification', onReset);
      stop.removeEventListener('abort', onStop);
    }
  }

  /**
   * Applies a projection's events as they come, from its checkpoint, until `signal`; starts
   * over from the checkpoint when the function given to `onRestart` is called (a reset).
   */
  private async follow(
    projection: Projection,
    signal: AbortSignal,
    onRestart: (restart: () => void) => void,
  ): Promise<void> {
    while (!signal.aborted) {
      let subscription: Subscription | undefined;
      // Stops this pass on a reset or when the runner stops. A plain controller held here,
      // not AbortSignal.any, whose combined signal may be collected while still listened to.
      const pass = new AbortController();
      const stopPass = () => pass.abort();
      signal.addEventListener('abort', stopPass, { once: true });
      onRestart(stopPass);
      let position: number | undefined;
      try {
        position = (await this.checkpoints())[projection.name];
        subscription = this.store.subscribe({
          from: position,
          filter: projection.filter,
          batchSize: this.batchSize,
        });
        await this.consume(projection, subscription, position, pass.signal);
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) {
          const stalled = error instanceof ProjectionStalledError ? error : undefined;
          const previous = this.stalls.get(projection.name);
          // Where it is stuck: the event that failed, else the checkpoint now, past every
          // event it did apply.
          const now = await this.checkpoints().catch(() => ({}) as Record<string, number>);
          const at = stalled?.position ?? now[projection.name] ?? position ?? -1;
          const again = previous?.checkpoint === at;
          this.stalls.set(projection.name, {
            projection: projection.name,
            checkpoint: at,
            error: stalled?.reason ?? (error as Error).message,
            since: again ? previous.since : new Date(),
            attempts: again ? previous.attempts + 1 : 1,
          });
          this.log(
            `projection ${stalled?.message ?? `${projection.name}: ${(error as Error).message}`}; retrying`,
          );
          await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
        }
      } finally {
        signal.removeEventListener('abort', stopPass);
        await subscription?.close();
      }
    }
  }

  /**
   * Reads the subscription into batches: a batch is applied when it is full, or as soon as
   * the subscription has nothing more at hand (so a live event is applied at once).
   */
  private async consume(
    projection: Projection,
    subscription: Subscription,
    from: number,
    signal: AbortSignal,
  ): Promise<void> {
    const idle = () => new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)));
    const iterator = subscription[Symbol.asyncIterator]();
    // One wait per event, each letting go of the signal once it settles: a race against one
    // promise that lasts as long as the signal would keep every event it delivered.
    const pull = () => {
      const next = raceAbort(iterator.next(), signal);
      next.catch(() => undefined); // read again after a restart; never unhandled
      return next;
    };
    let pending = pull();
    let expected = from;
    const buffer: RecordedEvent[] = [];
    const flush = async () => {
      const batch = buffer.splice(0);
      const next = batch[batch.length - 1].position + 1;
      await this.applyBatch(projection, batch, expected, next);
      expected = next;
    };
    for (;;) {
      const result = buffer.length === 0 ? await pending : await Promise.race([pending, idle()]);
      if (result === ABORTED) return;
      if (result === IDLE) {
        await flush();
        continue;
      }
      if (result.done) {
        if (buffer.length > 0) await flush();
        return;
      }
      buffer.push(result.value);
      pending = pull();
      if (buffer.length >= this.batchSize) await flush();
    }
  }

  /** Applies everything up to the head with plain reads, reading ahead while a batch commits. */
  private async catchUp(projection: Projection): Promise<number> {
    let expected = (await this.checkpoints())[projection.name];
    const read = (from: number) =>
      this.store.readAll({ from, limit: this.batchSize, filter: projection.filter });
    let applied = 0;
    let batch = await read(expected);
    while (batch.length > 0) {
      const next = batch[batch.length - 1].position + 1;
      const ahead = read(next);
      ahead.catch(() => undefined);
      applied += await this.applyBatch(projection, batch, expected, next);
      expected = next;
      batch = await ahead;
    }
    return applied;
  }

  /**
   * Applies `events` (which start at checkpoint `expected`) and moves the checkpoint to
   * `next`. When the batch fails, finds the event that fails and stops the projection there.
   * Resolves with the number of events applied (parked ones are not).
   * @throws ProjectionStalledError naming that event; CheckpointMovedError
   */
  private async applyBatch(
    projection: Projection,
    events: readonly RecordedEvent[],
    expected: number,
    next: number,
  ): Promise<number> {
    let applied: number;
    try {
      applied = await this.commit(projection, events, expected, next);
    } catch (error) {
      projection.discard?.();
      if (error instanceof CheckpointMovedError) throw error;
      applied = await this.isolate(projection, events, expected, error);
    }
    this.stalls.delete(projection.name);
    return applied;
  }

  /**
   * One transaction: checks that the checkpoint is at `expected`, applies the events that are
   * not parked, and moves the checkpoint to `next` (clearing any stall). The parked positions
   * are read under the checkpoint row's lock, which parking takes too. Resolves with the
   * number of events applied.
   */
  private async commit(
    projection: Projection,
    events: readonly RecordedEvent[],
    expected: number,
    next: number,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
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
      await manager.query(
        `UPDATE ${CHECKPOINTS} SET position = $2, updated_at = now(), ${NO_STALL} WHERE name = $1`,
        [projection.name, next],
      );
      return kept.length;
    });
  }

  /**
   * After a batch failed: applies it again in halves, then halves of the part that fails,
   * until the event that fails is alone. The projection then stops exactly at that event,
   * whatever the batch size, and the stall names the event an operator may park. Resolves
   * with the number of events applied when every part applied (the failure did not come back).
   * @throws ProjectionStalledError; CheckpointMovedError
   */
  private async isolate(
    projection: Projection,
    events: readonly RecordedEvent[],
    expected: number,
    error: unknown,
  ): Promise<number> {
    let applied = 0;
    let at = expected;
    let pending = events;
    let failure = error;
    // The size of the last part that failed; the next part tried is half of it.
    let failed = events.length;
    while (failed > 1 && pending.length > 0) {
      const part = pending.slice(0, Math.ceil(failed / 2));
      const next = part[part.length - 1].position + 1;
      try {
        applied += await this.commit(projection, part, at, next);
        at = next;
        pending = pending.slice(part.length);
      } catch (partError) {
        projection.discard?.();
        if (partError instanceof CheckpointMovedError) throw partError;
        failure = partError;
        failed = part.length;
      }
    }
    if (pending.length === 0) return applied;
    // pending[0] failed alone.
    const reason = failure instanceof Error ? failure.message : String(failure);
    await this.recordStall(projection.name, at, pending[0].position, reason).catch(
      (recordError: Error) => this.log(`projection ${projection.name}: ${recordError.message}`),
    );
    throw new ProjectionStalledError(projection.name, pending[0], reason);
  }

  /**
   * Records on the checkpoint row that the projection cannot apply the event at `position`,
   * and moves the checkpoint there from `from` (the events in between are not its own). Not
   * when the event is parked meanwhile: then the next attempt skips it.
   */
  private async recordStall(
    name: string,
    from: number,
    position: number,
    error: string,
  ): Promise<void> {
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

  private async ensureCheckpoints(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${CHECKPOINTS} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
      [this.projections.map((p) => p.name)],
    );
  }
}
