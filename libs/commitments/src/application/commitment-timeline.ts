import type { EventStore, RecordedEvent } from '#event-store';
import {
  commitmentStream,
  diffState,
  evolve,
  initialState,
  type CommitmentState,
  type FieldChange,
} from '../domain/index.js';
import { foldRecorded, readCommitmentStream, toDomainEvent } from './commitment-stream.js';

/**
 * Which past to show. `asOf`: the events whose business time (occurredAt) is at or before
 * it; `knownAt`: those recorded (recordedAt) at or before it; `atVersion`: those up to that
 * stream version. Given together, an event must meet all of them: `asOf` A with `knownAt` K
 * is what the public record said on K about the commitment on A.
 */
export interface TimeTravel {
  asOf?: Date;
  knownAt?: Date;
  atVersion?: number;
}

/** A commitment folded from its stream, as of a time travel, with what it is made of. */
export interface CommitmentSnapshot {
  state: CommitmentState;
  /** The events folded, in stream order. */
  events: RecordedEvent[];
  /** The highest stream version folded (0 when none). */
  version: number;
  /** The stream's version now. */
  latestVersion: number;
  /**
   * Changes about the time shown (business time at or before `asOf`, or any time without it)
   * that were recorded after the record date shown (`knownAt`, else `asOf`): retroactive
   * changes. With `knownAt` they are left out of the fold; with `asOf` alone they are in it.
   */
  recordedLater: number;
}

/** One change of a commitment's history, with the fields it changed. */
export interface HistoryEntry {
  event: RecordedEvent;
  /** Computed when first read: a page that does not show the changes does not pay for them. */
  readonly changes: FieldChange[];
}

const time = (iso: string) => new Date(iso).getTime();

/** Folds the events `travel` selects with the domain's evolve. Pure. */
export function snapshotOf(
  events: readonly RecordedEvent[],
  travel: TimeTravel,
): CommitmentSnapshot {
  const asOf = travel.asOf?.getTime();
  const knownAt = travel.knownAt?.getTime();
  const about = (e: RecordedEvent) => asOf === undefined || time(e.metadata.occurredAt) <= asOf;
  const known = (e: RecordedEvent) =>
    knownAt === undefined || time(e.metadata.recordedAt) <= knownAt;
  const upTo = (e: RecordedEvent) =>
    travel.atVersion === undefined || e.streamVersion <= travel.atVersion;
  const folded = events.filter((e) => about(e) && known(e) && upTo(e));
  const state = foldRecorded(folded);
  const recordDate = knownAt ?? asOf;
  const recordedLater =
    recordDate === undefined
      ? 0
      : events.filter((e) => about(e) && upTo(e) && time(e.metadata.recordedAt) > recordDate)
          .length;
  return {
    state,
    events: folded,
    version: folded.length === 0 ? 0 : folded[folded.length - 1].streamVersion,
    latestVersion: events.length === 0 ? 0 : events[events.length - 1].streamVersion,
    recordedLater,
  };
}

/** Each event with the field-level diff between the states before and after it, oldest first. */
export function historyOf(events: readonly RecordedEvent[]): HistoryEntry[] {
  let state: CommitmentState = initialState;
  return events.map((event) => {
    const before = state;
    const after = evolve(before, toDomainEvent(event));
    state = after;
    let changes: FieldChange[] | undefined;
    return {
      event,
      get changes() {
        changes ??= diffState(before, after);
        return changes;
      },
    };
  });
}

/** Reads commitments from their streams: time travel and history need no read model. */
export class CommitmentTimeline {
  constructor(private readonly store: EventStore) {}

  events(commitmentId: string): Promise<RecordedEvent[]> {
    return readCommitmentStream(this.store, commitmentId);
  }

  /** Up to `limit` of the newest events, newest first; with `before`, older than that version. */
  newest(commitmentId: string, limit: number, before?: number): Promise<RecordedEvent[]> {
    if (before !== undefined && before <= 1) return Promise.resolve([]);
    return this.store.readStream(commitmentStream(commitmentId), {
      direction: 'backwards',
      fromVersion: before === undefined ? undefined : before - 1,
      limit,
    });
  }

  async snapshot(commitmentId: string, travel: TimeTravel = {}): Promise<CommitmentSnapshot> {
    return snapshotOf(await this.events(commitmentId), travel);
  }
}
