import type { EventStore, RecordedEvent } from '#event-store';
import type { Decider } from '#kernel';

const PAGE = 5_000;

/**
 * A kind of stream a context keeps (`commitment`): how its streams are named, the decider
 * that folds and decides on them, and the schema version each event type is at now.
 */
export interface StreamType<Command, Event, State, StoredEvent extends Event> {
  /** The stream type's name, as results and errors give it (`commitment`). */
  readonly name: string;
  /** The event store's name of the stream with this id (`commitment-<id>`). */
  streamOf(streamId: string): string;
  readonly decider: Decider<Command, Event, State, StoredEvent>;
  /** The schema version each event type is written at: what the upcasters bring reads up to. */
  readonly schemaVersions: Readonly<Record<string, number>>;
  /** The name of the upcasters a store must be opened with, for errors (`COMMITMENT_UPCASTERS`). */
  readonly upcasters: string;
}

/** The part of a stream type that folding needs. */
export type FoldingStreamType<State, StoredEvent> = Pick<
  StreamType<unknown, unknown, State, StoredEvent>,
  'schemaVersions' | 'upcasters'
> & {
  readonly decider: Pick<Decider<unknown, unknown, State, StoredEvent>, 'evolve' | 'initialState'>;
};

/**
 * An event read at an older schema version than its type's: the store that read it was not
 * opened with the stream type's upcasters. A fault of the process's wiring, not of the input.
 */
export class EventNotUpcastError extends Error {
  constructor(
    readonly eventId: string,
    readonly type: string,
    readonly schemaVersion: number,
    readonly currentVersion: number,
    upcasters = 'its upcasters',
  ) {
    super(
      `event ${eventId} (${type}) is at schema version ${schemaVersion}, not ` +
        `${currentVersion}: read the log through an event store opened with ${upcasters}`,
    );
    this.name = 'EventNotUpcastError';
  }
}

/**
 * A stored event as the pure domain folds it: its id, type and data. Precondition: the
 * store that read it upcasts (the stream type's `upcasters`).
 * @throws EventNotUpcastError for an event older than its type's schema version: folding its
 * old shape would silently lose what the new one adds.
 */
export function toDomainEvent<StoredEvent>(
  streamType: Pick<FoldingStreamType<unknown, StoredEvent>, 'schemaVersions' | 'upcasters'>,
  event: RecordedEvent,
): StoredEvent {
  const current = (streamType.schemaVersions as Record<string, number | undefined>)[event.type];
  if (current !== undefined && event.schemaVersion < current) {
    throw new EventNotUpcastError(
      event.id,
      event.type,
      event.schemaVersion,
      current,
      streamType.upcasters,
    );
  }
  return { id: event.id, type: event.type, data: event.data } as StoredEvent;
}

/** Folds recorded events with the stream type's `evolve`, from its initial state or `from`. */
export function foldRecorded<State, StoredEvent>(
  streamType: FoldingStreamType<State, StoredEvent>,
  events: readonly RecordedEvent[],
  from: State = streamType.decider.initialState,
): State {
  let state = from;
  for (const event of events)
    state = streamType.decider.evolve(state, toDomainEvent(streamType, event));
  return state;
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

/** An event a command appended, to its own stream or to another (a code's stream). */
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
