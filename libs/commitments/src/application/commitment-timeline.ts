import type { EventStore, RecordedEvent } from '#event-store';
import {
  historyOf as streamHistoryOf,
  snapshotOf as streamSnapshotOf,
  StreamTimeline,
  type HistoryEntry as StreamHistoryEntry,
  type HistoryPage as StreamHistoryPage,
  type HistoryPageEntry as StreamHistoryPageEntry,
  type StreamSnapshot,
  type TimeTravel,
} from '#platform';
import type { CommitmentState } from '../domain/index.js';
import { COMMITMENT_STREAM } from './commitment-stream.js';

// History and time travel of commitments: the platform's, on the commitment's stream type.

export { pageOfHistory, type TimeTravel } from '#platform';

/** A commitment folded from its stream, as of a time travel, with what it is made of. */
export type CommitmentSnapshot = StreamSnapshot<CommitmentState>;
/** One change of a commitment's history: the event and the states before and after it. */
export type HistoryEntry = StreamHistoryEntry<CommitmentState>;
/** One entry of a commitment's history page. */
export type HistoryPageEntry = StreamHistoryPageEntry<CommitmentState>;
/** A page of a commitment's history, newest first. */
export type HistoryPage = StreamHistoryPage<CommitmentState>;

/** Folds the events `travel` selects with the commitment's evolve. Pure. */
export function snapshotOf(
  events: readonly RecordedEvent[],
  travel: TimeTravel,
): CommitmentSnapshot {
  return streamSnapshotOf(COMMITMENT_STREAM, events, travel);
}

/** Each event with the commitment's states before and after it, oldest first. */
export function historyOf(events: readonly RecordedEvent[]): HistoryEntry[] {
  return streamHistoryOf(COMMITMENT_STREAM, events);
}

/** Reads commitments from their streams: time travel and history need no read model. */
export class CommitmentTimeline {
  private readonly streams: StreamTimeline<CommitmentState>;

  constructor(store: EventStore) {
    this.streams = new StreamTimeline(store, COMMITMENT_STREAM);
  }

  events(commitmentId: string): Promise<RecordedEvent[]> {
    return this.streams.events(commitmentId);
  }

  /** A page of the commitment's history (see `StreamTimeline.historyPage`). */
  historyPage(page: {
    commitmentId: string;
    first: number;
    before?: number;
    version?: number;
  }): Promise<HistoryPage> {
    const { commitmentId, ...rest } = page;
    return this.streams.historyPage({ streamId: commitmentId, ...rest });
  }

  snapshot(commitmentId: string, travel: TimeTravel = {}): Promise<CommitmentSnapshot> {
    return this.streams.snapshot(commitmentId, travel);
  }
}
