import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, RecordedEvent, Subscription } from '#event-store';
import {
  CheckpointMovedError,
  RESET_CHANNEL,
  type Checkpoints,
  type ProjectionStall,
} from './checkpoints.js';
import { ProjectionStalledError } from './parked-events.js';
import type { Projection } from './projection.js';
import type { ProjectionBatches } from './projection-batches.js';
import type { ProjectionLease } from './projection-lease.js';
import { ABORTED, raceAbort } from './race-abort.js';

export interface ProjectionFollowerOptions {
  store: EventStore;
  checkpoints: Checkpoints;
  batches: ProjectionBatches;
  /** The runner's record of stalls it saw; a failed pass records its projection's here. */
  stalls: Map<string, ProjectionStall>;
  /** How soon a failed pass is tried again (ms). */
  retryMs: number;
  /** How often the lease's connection is checked (ms). */
  heartbeatMs: number;
  /**
   * How long a filtered projection with nothing to apply waits before it moves its
   * checkpoint past the events it filtered out meanwhile (ms).
   */
  advanceMs: number;
  log: (line: string) => void;
}

const IDLE = Symbol('idle');
const QUIET = Symbol('quiet');

/** The active runner's work: every projection follows the log, live, from its checkpoint. */
export class ProjectionFollower {
  constructor(private readonly options: ProjectionFollowerOptions) {}

  /** Follows the log until stopped or until the lease's connection fails. */
  async run(
    lease: ProjectionLease,
    projections: readonly Projection[],
    stop: AbortSignal,
  ): Promise<void> {
    await this.options.checkpoints.ensure();
    const lost = new AbortController();
    const onStop = () => lost.abort();
    stop.addEventListener('abort', onStop);
    if (stop.aborted) lost.abort(); // stopped while the lock was being taken
    const stopHeartbeat = lease.watch(this.options.heartbeatMs, () => lost.abort());
    const restarts = new Map<string, () => void>();
    const stopListening = lease.onNotification(RESET_CHANNEL, (name) => restarts.get(name)?.());
    try {
      await lease.listen(RESET_CHANNEL);
      await Promise.all(
        projections.map((p) =>
          this.follow(p, lost.signal, (restart) => restarts.set(p.name, restart)),
        ),
      );
    } finally {
      stopHeartbeat();
      stopListening();
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
    const { store, checkpoints, batches, stalls, retryMs, log } = this.options;
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
        position = (await checkpoints.positions())[projection.name];
        subscription = store.subscribe({
          from: position,
          filter: projection.filter,
          batchSize: batches.batchSize,
        });
        await this.consume(projection, subscription, position, pass.signal);
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) {
          const stalled = error instanceof ProjectionStalledError ? error : undefined;
          const previous = stalls.get(projection.name);
          // Where it is stuck: the event that failed, else the checkpoint now, past every
          // event it did apply.
          const now = await checkpoints.positions().catch(() => ({}) as Record<string, number>);
          const at = stalled?.position ?? now[projection.name] ?? position ?? -1;
          const again = previous?.checkpoint === at;
          stalls.set(projection.name, {
            projection: projection.name,
            checkpoint: at,
            error: stalled?.reason ?? (error as Error).message,
            since: again ? previous.since : new Date(),
            attempts: again ? previous.attempts + 1 : 1,
          });
          log(
            `projection ${stalled?.message ?? `${projection.name}: ${(error as Error).message}`}; retrying`,
          );
          await sleep(retryMs, undefined, { signal }).catch(() => undefined);
        }
      } finally {
        signal.removeEventListener('abort', stopPass);
        await subscription?.close();
      }
    }
  }

  /**
   * Reads the subscription into batches: a batch is applied when it is full, or as soon as
   * the subscription has nothing more at hand (so a live event is applied at once). A
   * filtered subscription looks past the events it filters out (its `position` moves to the
   * head it read); the checkpoint follows it, in the batch's own transaction, or alone after
   * `advanceMs` with nothing to apply, so that it does not stay at the last event it took.
   */
  private async consume(
    projection: Projection,
    subscription: Subscription,
    from: number,
    signal: AbortSignal,
  ): Promise<void> {
    const { batches, advanceMs } = this.options;
    const idle = () => new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)));
    let quietTimer: NodeJS.Timeout | undefined;
    const quiet = () =>
      new Promise<typeof QUIET>((resolve) => {
        quietTimer = setTimeout(() => resolve(QUIET), advanceMs);
      });
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
    /**
     * Applies the buffer, moving the checkpoint to `scanned` when that is past its last event.
     * `scanned` is the subscription's position read when the wait for its next event lost a
     * race against a timer: that wait had not settled, so every event below the position was
     * delivered, and is in the buffer or applied.
     */
    const flush = async (scanned: number) => {
      const batch = buffer.splice(0);
      const last = batch.length === 0 ? expected : batch[batch.length - 1].position + 1;
      const next = Math.max(last, scanned);
      if (next === expected) return;
      await batches.apply(projection, batch, expected, next);
      expected = next;
    };
    try {
      for (;;) {
        const result =
          buffer.length > 0
            ? await Promise.race([pending, idle()])
            : projection.filter
              ? await Promise.race([pending, quiet()])
              : await pending;
        clearTimeout(quietTimer);
        if (result === ABORTED) return;
        if (result === IDLE || result === QUIET) {
          await flush(subscription.position);
          continue;
        }
        if (result.done) {
          if (buffer.length > 0) await flush(expected);
          return;
        }
        buffer.push(result.value);
        pending = pull();
        if (buffer.length >= batches.batchSize) await flush(expected);
      }
    } finally {
      clearTimeout(quietTimer);
    }
  }
}
