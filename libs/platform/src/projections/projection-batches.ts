import type { EventStore, RecordedEvent } from '#event-store';
import { CheckpointMovedError, type Checkpoints, type ProjectionStall } from './checkpoints.js';
import { isolatePoisonEvent } from './poison-events.js';
import type { Projection } from './projection.js';

export interface ProjectionBatchesOptions {
  store: EventStore;
  checkpoints: Checkpoints;
  /** Events per transaction at most. */
  batchSize: number;
  /** The runner's record of stalls it saw: a batch that commits clears its projection's. */
  stalls: Map<string, ProjectionStall>;
  log: (line: string) => void;
}

/** One read of the log for a projection: its events, and how far the read looked. */
export interface ScannedPage {
  events: RecordedEvent[];
  /**
   * The position after the last one the read covered: the projection takes no event below it
   * that is not in `events`. For a filtered projection a short page covers the log up to the
   * head read before it, past the events it filters out.
   */
  scanned: number;
}

/**
 * Reads the events a projection takes from `from`. A filtered read that returns fewer than
 * `limit` events holds every match below the head read before it (positions below the head
 * are all committed), so it covers the log up to that head.
 */
export async function readScanned(
  store: EventStore,
  projection: Projection,
  from: number,
  limit: number,
): Promise<ScannedPage> {
  const head = projection.filter ? await store.head() : from;
  const events = await store.readAll({ from, limit, filter: projection.filter });
  const after = events.length === 0 ? from : events[events.length - 1].position + 1;
  return { events, scanned: events.length < limit ? Math.max(after, head) : after };
}

/** Applies events to projections in batches, each moving the projection's checkpoint. */
export class ProjectionBatches {
  constructor(private readonly options: ProjectionBatchesOptions) {}

  get batchSize(): number {
    return this.options.batchSize;
  }

  /**
   * Applies `events` (which start at checkpoint `expected`) and moves the checkpoint to
   * `next`, which may lie past the last event when the events in between are not the
   * projection's (an empty batch only moves the checkpoint). When the batch fails, finds the
   * event that fails and stops the projection there. Resolves with the number of events
   * applied (parked ones are not).
   * @throws ProjectionStalledError naming that event; CheckpointMovedError; a failure to
   *   move the checkpoint of an empty batch
   */
  async apply(
    projection: Projection,
    events: readonly RecordedEvent[],
    expected: number,
    next: number,
  ): Promise<number> {
    const { checkpoints, log, stalls } = this.options;
    let applied: number;
    try {
      applied = await checkpoints.commit(projection, events, expected, next);
    } catch (error) {
      projection.discard?.();
      // No event of the projection failed: the database did, and the caller retries.
      if (error instanceof CheckpointMovedError || events.length === 0) throw error;
      applied = await isolatePoisonEvent(
        checkpoints,
        projection,
        events,
        { expected, next },
        error,
        log,
      );
    }
    stalls.delete(projection.name);
    return applied;
  }

  /**
   * Applies everything up to the head with plain reads, reading ahead while a batch commits.
   * The checkpoint ends at the head read last, also when the last events are not the
   * projection's.
   */
  async catchUp(projection: Projection): Promise<number> {
    const { store, checkpoints, batchSize } = this.options;
    let expected = (await checkpoints.positions())[projection.name];
    const read = (from: number) => readScanned(store, projection, from, batchSize);
    let applied = 0;
    let page = await read(expected);
    while (page.scanned > expected) {
      const ahead = read(page.scanned);
      ahead.catch(() => undefined);
      applied += await this.apply(projection, page.events, expected, page.scanned);
      expected = page.scanned;
      page = await ahead;
    }
    return applied;
  }
}
