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
 * An event read at an older schema version than its type's: the store that read it was not
 * opened with `COMMITMENT_UPCASTERS`. A fault of the process's wiring, not of the input.
 */
export class EventNotUpcastError extends Error {
  constructor(
    readonly eventId: string,
    readonly type: string,
    readonly schemaVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `event ${eventId} (${type}) is at schema version ${schemaVersion}, not ` +
        `${currentVersion}: read the log through an event store opened with COMMITMENT_UPCASTERS`,
    );
    this.name = 'EventNotUpcastError';
  }
}

/**
 * A stored event as the pure domain folds it: its id, type and data. Precondition: the
 * store that read it upcasts (`COMMITMENT_UPCASTERS`).
 * @throws EventNotUpcastError for an event older than its type's schema version: folding its
 * old shape would silently lose what the new one adds (the lead agency's id).
 */
export function toDomainEvent(event: RecordedEvent): StoredCommitmentEvent {
  const current = (COMMITMENT_SCHEMA_VERSIONS as Record<string, number | undefined>)[event.type];
  if (current !== undefined && event.schemaVersion < current) {
    throw new EventNotUpcastError(event.id, event.type, event.schemaVersion, current);
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

/** An event a command appended, to its commitment's stream or to a code's stream. */
export interface AppendedEvent {
  id: string;
  position: number;
  stream: string;
  streamVersion: number;
  type: string;
}

export function appendedEvent(event: RecordedEvent): AppendedEvent {
  const { id, position, stream, streamVersion, type } = event;
  return { id, position, stream, streamVersion, type };
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
