import type { EventStore, RecordedEvent } from '#event-store';
import {
  commitmentStream,
  evolve,
  initialState,
  type CommitmentState,
  type StoredCommitmentEvent,
} from '../domain/index.js';

const PAGE = 5_000;

/** A stored event as the pure domain folds it: its id, type and data. */
export function toDomainEvent(event: RecordedEvent): StoredCommitmentEvent {
  return { id: event.id, type: event.type, data: event.data } as StoredCommitmentEvent;
}

/** Every event of a commitment's stream, oldest first (streams are short: tens to hundreds). */
export function readCommitmentStream(
  store: EventStore,
  commitmentId: string,
): Promise<RecordedEvent[]> {
  return readStreamUpTo(store, commitmentStream(commitmentId));
}

/** A stream's events from version 1 to `last` (default: all of them), oldest first. */
export async function readStreamUpTo(
  store: EventStore,
  stream: string,
  last = Infinity,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  while (events.length < last) {
    const limit = Math.min(last - events.length, PAGE);
    const page = await store.readStream(stream, { fromVersion: events.length + 1, limit });
    events.push(...page);
    if (page.length < limit) break;
  }
  return events;
}

/** Folds recorded events with the domain's `evolve`. */
export function foldRecorded(
  events: readonly RecordedEvent[],
  from: CommitmentState = initialState,
): CommitmentState {
  let state = from;
  for (const event of events) state = evolve(state, toDomainEvent(event));
  return state;
}
