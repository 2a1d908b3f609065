import type { EventStore, RecordedEvent } from '#event-store';
import {
  COMMITMENT_SCHEMA_VERSIONS,
  commitmentStream,
  evolve,
  initialState,
  type CommitmentState,
  type StoredCommitmentEvent,
} from '../domain/index.js';

const PAGE = 5_000;

/**
 * A stored event as the pure domain folds it: its id, type and data. Precondition: the
 * store that read it upcasts (`COMMITMENT_UPCASTERS`).
 * @throws Error for an event older than its type's schema version: folding its old shape
 * would silently lose what the new one adds (the lead agency's id).
 */
export function toDomainEvent(event: RecordedEvent): StoredCommitmentEvent {
  const current = (COMMITMENT_SCHEMA_VERSIONS as Record<string, number | undefined>)[event.type];
  if (current !== undefined && event.schemaVersion < current) {
    throw new Error(
      `event ${event.id} (${event.type}) is at schema version ${event.schemaVersion}, not ` +
        `${current}: read the log through an event store opened with COMMITMENT_UPCASTERS`,
    );
  }
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
