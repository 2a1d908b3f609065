import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { EventStore, RecordedEvent, Subscription } from '#event-store';
import type { Projection } from './projection.js';

export interface ProjectionRunnerOptions {
  /** For the advisory-lock connection. */
  connectionString: string;
  /** Events per transaction at most (default 2000). */
  batchSize?: number;
  /** How often a standby runner tries to take over, and how soon a failed batch is retried (ms, default 1000). */
  retryMs?: number;
  /** How often the active runner checks that its lock connection is alive (ms, default 2000). */
  heartbeatMs?: number;
  log?: (line: string) => void;
}

/** A projection that cannot get past an event: it retries, and operators see it in health. */
export interface ProjectionStall {
  projection: string;
  /** The position it is stuck at: its checkpoint, the first event it could not apply. */
  checkpoint: number;
  error: string;
  since: Date;
  attempts: number;
}

/** Advisory lock key of the active runner ('cprj'); one holder per database. */
export const PROJECTION_LOCK = 0x6370726a;

const CHECKPOINTS = 'read.projection_checkpoints';
/** Notified (with the projection's name) when a reset moves a checkpoint back. */
const RESET_CHANNEL = 'cuenta_projection_reset';

/** The batch's checkpoint is no longer the one it was read from: a reset or another runner. */
class CheckpointMovedError extends Error {
  constructor(name: string, expected: number, found: number) {
    super(`checkpoint of ${name} moved from ${expected} to ${found}`);
  }
}

const ABORTED = Symbol('aborted');
const IDLE = Symbol('idle');

/**
 * Feeds projections from the log. Each batch is applied in one transaction that first locks
 * the projection's checkpoint row and checks it is where the batch starts, then moves it:
 * every event takes effect exactly once, and a crash anywhere leaves the rows and the
 * checkpoint in step (restart-safe).
 *
 * Only one runner is active per database: the one holding a session advisory lock. Others
 * wait as standbys and try again every `retryMs`; when the active runner's process dies its
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
    this.retryMs = options.retryMs ?? 1000;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.log = options.log ?? (() => undefined);
  }

  /** Projections whose last batch failed and that have not committed one since. */
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
        `UPDATE ${CHECKPOINTS} SET position = 0, updated_at = now() WHERE name = $1`,
        [name],
      );
      // Tells the active runner, wherever it runs, to start this projection over.
      await manager.query('SELECT pg_notify($1, $2)', [RESET_CHANNEL, name]);
    });
    projection.discard?.();
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

  private selected(names: string[] | undefined): readonly Projection[] {
    return names === undefined ? this.projections : names.map((name) => this.projection(name));
  }

  private projection(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) {
      const known = this.projections.map((p) => p.name).join(', ');
      throw new Error(`no projection named "${name}" (known: ${known})`);
    }
    return projection;
  }

  private async loop(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        if (await this.acquire()) {
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
      await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
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
          const message = (error as Error).message;
          const previous = this.stalls.get(projection.name);
          // Where it is stuck: the checkpoint now, past every event it did apply.
          const now = await this.checkpoints().catch(() => ({}) as Record<string, number>);
          this.stalls.set(projection.name, {
            projection: projection.name,
            checkpoint: now[projection.name] ?? position ?? -1,
            error: message,
            since: previous?.since ?? new Date(),
            attempts: (previous?.attempts ?? 0) + 1,
          });
          this.log(`projection ${projection.name}: ${message}; retrying`);
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
    const aborted = new Promise<typeof ABORTED>((resolve) => {
      if (signal.aborted) resolve(ABORTED);
      signal.addEventListener('abort', () => resolve(ABORTED), { once: true });
    });
    const idle = () => new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)));
    const iterator = subscription[Symbol.asyncIterator]();
    const pull = () => {
      const next = iterator.next();
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
      const result = await Promise.race(
        buffer.length === 0 ? [pending, aborted] : [pending, aborted, idle()],
      );
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
      await this.applyBatch(projection, batch, expected, next);
      applied += batch.length;
      expected = next;
      batch = await ahead;
    }
    return applied;
  }

  private async applyBatch(
    projection: Projection,
    events: readonly RecordedEvent[],
    expected: number,
    next: number,
  ): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const rows: { position: string }[] = await manager.query(
          `SELECT position FROM ${CHECKPOINTS} WHERE name = $1 FOR UPDATE`,
          [projection.name],
        );
        const found = rows.length === 0 ? -1 : Number(rows[0].position);
        if (found !== expected) throw new CheckpointMovedError(projection.name, expected, found);
        await projection.apply(events, manager);
        await manager.query(
          `UPDATE ${CHECKPOINTS} SET position = $2, updated_at = now() WHERE name = $1`,
          [projection.name, next],
        );
      });
    } catch (error) {
      projection.discard?.();
      throw error;
    }
    this.stalls.delete(projection.name);
  }

  private async ensureCheckpoints(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${CHECKPOINTS} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
      [this.projections.map((p) => p.name)],
    );
  }
}
