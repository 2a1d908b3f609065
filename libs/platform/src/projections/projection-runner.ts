import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { EventStore } from '#event-store';
import { Checkpoints, type ProjectionStall } from './checkpoints.js';
import { UnknownProjectionError, type ParkedEvent, type ParkRequest } from './parked-events.js';
import type { Projection } from './projection.js';
import {
  parkStalledEvent,
  projectionStatus,
  rebuildProjections,
  resetProjection,
  type ProjectionStatus,
  type RebuildOutcome,
} from './projection-admin.js';
import { ProjectionBatches } from './projection-batches.js';
import { ProjectionFollower } from './projection-follower.js';
import { ProjectionLease } from './projection-lease.js';

export type { ProjectionStall } from './checkpoints.js';
export type { ProjectionStatus, RebuildOutcome } from './projection-admin.js';
export { PROJECTION_LOCK } from './projection-lease.js';

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
  /**
   * How long a filtered projection with nothing to apply waits before it moves its checkpoint
   * past the events of others appended meanwhile (ms, default 250). Its lag (head minus
   * checkpoint) stays that short while only other events are written.
   */
  advanceMs?: number;
  log?: (line: string) => void;
}

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
 *
 * Its parts: the lease (projection-lease.ts), the checkpoint rows (checkpoints.ts), batches
 * (projection-batches.ts) with poison-event isolation (poison-events.ts), the live follow
 * loop (projection-follower.ts) and the operators' commands (projection-admin.ts).
 */
export class ProjectionRunner {
  private readonly stalls = new Map<string, ProjectionStall>();
  private readonly retryMs: number;
  private readonly log: (line: string) => void;
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private readonly lease: ProjectionLease;
  private readonly checkpointRows: Checkpoints;
  private readonly batches: ProjectionBatches;
  private readonly follower: ProjectionFollower;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions,
  ) {
    this.retryMs = options.retryMs ?? 500;
    this.log = options.log ?? (() => undefined);
    this.lease = new ProjectionLease(options.connectionString);
    this.checkpointRows = new Checkpoints(
      dataSource,
      projections.map((p) => p.name),
    );
    this.batches = new ProjectionBatches({
      store,
      checkpoints: this.checkpointRows,
      batchSize: options.batchSize ?? 2000,
      stalls: this.stalls,
      log: this.log,
    });
    this.follower = new ProjectionFollower({
      store,
      checkpoints: this.checkpointRows,
      batches: this.batches,
      stalls: this.stalls,
      retryMs: this.retryMs,
      heartbeatMs: options.heartbeatMs ?? 2000,
      advanceMs: options.advanceMs ?? 250,
      log: this.log,
    });
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
    return this.lease.held;
  }

  /** Starts following the log in the background (as a standby until the lock is free). */
  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /**
   * Calls `listener` after each batch this runner commits (any projection's): a waiter in
   * this process looks again then instead of at its next pause. Returns the function that
   * stops it.
   */
  onCommit(listener: () => void): () => void {
    return this.checkpointRows.onCommit(listener);
  }

  /** Each projection's checkpoint: the next global position it will apply. */
  async checkpoints(): Promise<Record<string, number>> {
    return this.checkpointRows.positions();
  }

  /**
   * Empties a projection's tables and sets its checkpoint back to 0, in one transaction. An
   * active runner (here or in another process) notices and replays it from the log.
   */
  async reset(name: string): Promise<void> {
    const projection = this.projection(name);
    await this.checkpointRows.ensure();
    await resetProjection(this.dataSource, projection);
  }

  /**
   * Each projection's checkpoint, its stall and its parked events. The stall is the one the
   * last runner to try the event recorded, whichever process that was; else, while this
   * runner is the active one, a failure only it saw (one that names no event, such as a
   * failed read of the log).
   */
  async status(): Promise<ProjectionStatus[]> {
    return projectionStatus(
      this.dataSource,
      this.projections.map((p) => p.name),
      (name) => (this.active ? this.stalls.get(name) : undefined),
    );
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
    return parkStalledEvent(this.store, this.dataSource, name, request);
  }

  /**
   * Takes the lock if it is free, applies everything up to the log's head to the named
   * projections (all by default), and lets the lock go. Resolves with the number of events
   * applied per projection, or undefined when another runner is active.
   */
  async catchUpOnce(names?: string[]): Promise<Record<string, number> | undefined> {
    if (!(await this.acquire())) return undefined;
    try {
      await this.checkpointRows.ensure();
      const applied: Record<string, number> = {};
      for (const projection of this.selected(names)) {
        applied[projection.name] = await this.batches.catchUp(projection);
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
    const selected = this.selected(names).map((p) => p.name);
    return rebuildProjections(selected, this);
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

  /** Standby until the lease is free, then active until stopped or the lease is lost. */
  private async loop(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      let lost = false;
      try {
        if (await this.acquire()) {
          lost = true;
          this.log('projection runner active');
          try {
            await this.follower.run(this.lease, this.projections, signal);
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

  private acquire(): Promise<boolean> {
    return this.lease.acquire();
  }

  private async release(): Promise<void> {
    // What it saw may no longer hold: the runner that takes over may get past the event.
    this.stalls.clear();
    await this.lease.release();
  }
}
