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

/** Applies events to projections in batches, each moving the projection's checkpoint. */
export class ProjectionBatches {
  constructor(private readonly options: ProjectionBatchesOptions) {}

  get batchSize(): number {
    return this.options.batchSize;
  }

  /**
   * Applies `events` (which start at checkpoint `expected`) and moves the checkpoint to
   * `next`. When the batch fails, finds the event that fails and stops the projection there.
   * Resolves with the number of events applied (parked ones are not).
   * @throws ProjectionStalledError naming that event; CheckpointMovedError
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
      if (error instanceof CheckpointMovedError) throw error;
      applied = await isolatePoisonEvent(checkpoints, projection, events, expected, error, log);
    }
    stalls.delete(projection.name);
    return applied;
  }

  /** Applies everything up to the head with plain reads, reading ahead while a batch commits. */
  async catchUp(projection: Projection): Promise<number> {
    const { store, checkpoints, batchSize } = this.options;
    let expected = (await checkpoints.positions())[projection.name];
    const read = (from: number) =>
      store.readAll({ from, limit: batchSize, filter: projection.filter });
    let applied = 0;
    let batch = await read(expected);
    while (batch.length > 0) {
      const next = batch[batch.length - 1].position + 1;
      const ahead = read(next);
      ahead.catch(() => undefined);
      applied += await this.apply(projection, batch, expected, next);
      expected = next;
      batch = await ahead;
    }
    return applied;
  }
}
