import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { SingleFlight } from '#kernel';
import type { EventStore } from '#event-store';
import { CuentaError } from '../errors/cuenta-error.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import type { Projection } from './projection.js';
import type { ReadReplicas } from '../database/read-replicas.js';
import { READ_SCHEMA } from './read-database.js';

/**
 * The read models had not applied the event at `position` when the wait ran out. Nothing is
 * lost: the event is in the log, and the read models apply it once they can (a stalled
 * projection waits for an operator, see `cuenta projections status`).
 */
export class ReadModelsBehindError extends CuentaError {
  readonly code = 'READ_MODELS_BEHIND';
  constructor(
    readonly position: number,
    /** Every event below this position was in the read models at the last look. */
    readonly reached: number,
    readonly waitedMs: number,
  ) {
    super(
      `The read models had not reached position ${position} after ${waitedMs} ms (they hold ` +
        `the log up to position ${reached}); the event is recorded: ask again later`,
    );
    this.name = 'ReadModelsBehindError';
  }
  override details() {
    return { position: this.position, reached: this.reached, waitedMs: this.waitedMs };
  }
}

/** Where the log and the read models stand. */
export interface ReadPosition {
  /** The log's size: the next global position. */
  head: number;
  /** Every event below this position is in every read model (at most `head`). */
  reached: number;
}

export interface ReadPositionsOptions {
  /** The event store's query of the log's size (LOG_SIZE_SQL). */
  logSizeSql: string;
  /** How long `reach` waits at most, in ms; 0 looks once. */
  waitMs: number;
  /**
   * The projection runner of this process, when it has one: a wait looks again as soon as
   * it commits a batch. The pauses still bound the wait for a runner in another process.
   */
  commits?: { onCommit(listener: () => void): () => void };
}

/** Pauses between looks while waiting, in ms: short at first, a write is applied in ms. */
const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;

/**
 * How far the read models have applied the log, and waits for them to reach a position: the
 * ground of read-your-writes. It reads the database, so it holds for every process on it
 * (replicas), whichever one runs the projections.
 *
 * A projection has reached position p when its checkpoint is past p, or when no event it
 * takes (its filter) lies between its checkpoint and p: the runner moves a filtered
 * projection's checkpoint past the events it filters out only with its next batch, or after
 * its `advanceMs` with nothing to apply, and a wait for a code claim (another stream) right
 * after a commitment's events should not wait that long.
 */
export class ReadPositions {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    private readonly options: ReadPositionsOptions,
  ) {}

  /** The longest `reach` waits, in ms. */
  get waitMs(): number {
    return this.options.waitMs;
  }

  /**
   * Where the log and the read models stand now: one statement, and one more per projection
   * that is behind and has moved since the last look (or found nothing then).
   */
  now(): Promise<ReadPosition> {
    return this.look(Infinity);
  }

  /**
   * As `now`, but `reached` is exact only up to `enough`: past it, a lower bound. A wait for a
   * position needs no more, and then a projection whose checkpoint has not moved since a look
   * that found none of its events up to there costs no read of the log.
   */
  protected async look(enough: number): Promise<ReadPosition> {
    const [row] = (await this.dataSource.query(
      `SELECT (${this.options.logSizeSql}) AS head,
              COALESCE(json_object_agg(name, position)
                         FILTER (WHERE name = ANY($1::text[])), '{}') AS checkpoints
         FROM ${READ_SCHEMA}.projection_checkpoints`,
      [this.projections.map((p) => p.name)],
    )) as { head: string; checkpoints: Record<string, string | number> }[];
    const head = Number(row.head);
    const reached = await Promise.all(
      this.projections.map((projection) =>
        this.reachedBy(projection, Number(row.checkpoints[projection.name] ?? 0), head, enough),
      ),
    );
    return { head, reached: Math.min(head, ...reached) };
  }

  /** The look the waits share, until it starts (see `lookShared`). */
  private queued: { enough: number; look: Promise<ReadPosition> } | undefined;

  /**
   * A look that starts after this call, shared by the calls made before it starts: waits
   * woken by the same commit (many writes waiting for their events) make one statement, not
   * one each. Exact up to the furthest position they wait for.
   */
  protected lookShared(enough: number): Promise<ReadPosition> {
    const queued = this.queued;
    if (queued !== undefined) {
      queued.enough = Math.max(queued.enough, enough);
      return queued.look;
    }
    const next = { enough, look: Promise.resolve<ReadPosition>({ head: 0, reached: 0 }) };
    next.look = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.queued = undefined;
      return this.look(next.enough);
    });
    this.queued = next;
    return next.look;
  }

  /**
   * Per projection, what the last look found past its checkpoint: the first event it takes
   * at or after `checkpoint`, or none below `head`. The log is append-only, so this holds for
   * as long as the checkpoint stays where it was: a wait that looks again (a write waiting for
   * its own events to be applied) does not read the log again for a projection that has not
   * moved, and reads it only past `head` when nothing was found.
   */
  private readonly found = new Map<
    string,
    { checkpoint: number; next: number | undefined; head: number }
  >();

  /**
   * How far `projection` has applied a log of `head` events, its checkpoint at `checkpoint`:
   * exactly, or a lower bound past `enough`.
   */
  private async reachedBy(
    projection: Projection,
    checkpoint: number,
    head: number,
    enough: number,
  ): Promise<number> {
    if (checkpoint >= head) return head;
    const known = this.found.get(projection.name);
    const same = known?.checkpoint === checkpoint ? known : undefined;
    if (same?.next !== undefined) return Math.min(same.next, head);
    // None of its events from the checkpoint to `same.head`: it has reached that far.
    if (same !== undefined && (same.head >= head || same.head > enough)) {
      return Math.min(same.head, head);
    }
    // The first event it takes at or after its checkpoint: the events before it are done.
    const { next, below } = await this.firstTaken(
      projection,
      same === undefined ? checkpoint : same.head,
      head,
    );
    this.found.set(projection.name, { checkpoint, next, head: below });
    return next === undefined ? Math.min(below, head) : Math.min(next, head);
  }

  /** Reads of `firstTaken` in flight, shared by the looks that need the same one. */
  private readonly reading = new SingleFlight<{ next?: number; below: number }>();

  /**
   * The position of the first event `projection` takes at or after `from` (`next`), or none
   * below `below`: the head the look that started the read had read before it. Looks at the
   * same time (many writes, each waiting for its events) share one read.
   */
  private firstTaken(projection: Projection, from: number, head: number) {
    return this.reading.run(`${projection.name} ${from}`, () =>
      this.store
        .readAll({ from, limit: 1, filter: projection.filter })
        .then(([event]) => ({ next: event?.position, below: head })),
    );
  }

  /**
   * Resolves once every read model holds the event at global position `position`, waiting
   * up to `waitMs`.
   * @param field names the argument or header the position came from, for the input error
   * @throws InvalidInputError at once for a position the log does not hold yet (at or past
   *   its head); ReadModelsBehindError when the wait runs out
   */
  async reach(position: number, field: string): Promise<void> {
    const deadline = performance.now() + this.options.waitMs;
    let pause = FIRST_PAUSE_MS;
    for (let look = 0; ; look++) {
      const { head, reached } = await this.lookShared(position);
      if (look === 0 && position >= head) {
        throw new InvalidInputError(
          field,
          head === 0
            ? "is beyond the log's head: the log is empty"
            : `is beyond the log's head: the log holds positions 0 to ${head - 1}`,
        );
      }
      if (reached > position) return;
      const left = deadline - performance.now();
      if (left <= 0) throw new ReadModelsBehindError(position, reached, this.options.waitMs);
      await this.pause(Math.min(pause, left));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
  }

  /** Waits `ms`, or less when this process's runner commits a batch meanwhile. */
  private pause(ms: number): Promise<void> {
    const { commits } = this.options;
    if (commits === undefined) return sleep(ms);
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        resolve();
      };
      const timer = setTimeout(done, ms);
      const stop = commits.onCommit(done);
    });
  }

  /**
   * Like `reach`, for positions the caller has just written: resolves with true once the read
   * models hold them all, false when the wait (`waitMs`, by default the configured one) runs
   * out (they are in the log all the same).
   */
  async settle(positions: readonly number[], waitMs = this.options.waitMs): Promise<boolean> {
    if (positions.length === 0) return true;
    const position = Math.max(...positions);
    const deadline = performance.now() + waitMs;
    let pause = FIRST_PAUSE_MS;
    for (;;) {
      // The events are recorded whatever happens here: a look that fails (the database
      // dropped the connection, as in a restart) is not the command's failure, only no answer.
      const reached = await this.lookShared(position).then(
        (at) => at.reached,
        () => undefined,
      );
      if (reached !== undefined && reached > position) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await this.pause(Math.min(pause, left));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
  }
}

/**
 * ReadPositions for a server with read replicas. A read-only request reads from a replica,
 * whose read models lag the primary's; a position it asks for (minPosition, the
 * X-Cuenta-Min-Position header) is looked for on that replica for up to `replicaWaitMs`, and
 * when the replica has not replayed it by then the request reads from the primary instead,
 * waiting there as without replicas. A replica never answers a request older than what it
 * asked for, and a lagging replica costs at most `replicaWaitMs`.
 */
export class ReplicaReadPositions extends ReadPositions {
  constructor(
    store: EventStore,
    dataSource: DataSource,
    projections: readonly Projection[],
    options: ReadPositionsOptions & {
      replicas: Pick<ReadReplicas, 'current' | 'usePrimary'>;
      replicaWaitMs: number;
    },
  ) {
    super(store, dataSource, projections, options);
    this.replicas = options.replicas;
    this.replicaWaitMs = options.replicaWaitMs;
  }

  private readonly replicas: Pick<ReadReplicas, 'current' | 'usePrimary'>;
  private readonly replicaWaitMs: number;

  /** Each request looks on its own: its reads go to its replica, or to the primary. */
  protected override lookShared(enough: number): Promise<ReadPosition> {
    return this.look(enough);
  }

  /**
   * Resolves once the read models the running request reads from hold `position`: its
   * replica's, or else (the replica lags past the wait, or fails) the primary's.
   * @throws as ReadPositions.reach, on the primary
   */
  override async reach(position: number, field: string): Promise<void> {
    if (this.replicas.current() !== undefined) {
      // Looks on the replica (this DataSource's reads are routed there).
      const reached = await this.settle([position], this.replicaWaitMs);
      if (reached && this.replicas.current() !== undefined) return;
      this.replicas.usePrimary();
    }
    await super.reach(position, field);
  }
}
