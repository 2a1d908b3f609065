import type { EventStore, RecordedEvent } from '#event-store';
import { StreamTimeline, type HistoryPage, type StreamSnapshot, type TimeTravel } from '#platform';
import type { PrioritizationState } from '../domain/index.js';
import { PRIORITIZATION_STREAM } from './prioritization-stream.js';

/** Reads exercises from their streams: the live count, history and time travel. */
export class PrioritizationTimeline {
  private readonly streams: StreamTimeline<PrioritizationState>;

  constructor(store: EventStore) {
    this.streams = new StreamTimeline(store, PRIORITIZATION_STREAM);
  }

  events(prioritizationId: string): Promise<RecordedEvent[]> {
    return this.streams.events(prioritizationId);
  }

  snapshot(
    prioritizationId: string,
    travel: TimeTravel = {},
  ): Promise<StreamSnapshot<PrioritizationState>> {
    return this.streams.snapshot(prioritizationId, travel);
  }

  historyPage(page: {
    prioritizationId: string;
    first: number;
    before?: number;
  }): Promise<HistoryPage<PrioritizationState>> {
    const { prioritizationId, ...rest } = page;
    return this.streams.historyPage({ streamId: prioritizationId, ...rest });
  }
}
