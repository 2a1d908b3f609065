import type { EventStore, RecordedEvent } from '#event-store';
import {
  foldRecorded as foldStream,
  readStreamUpTo,
  toDomainEvent as domainEventOf,
  type StreamType,
} from '#platform';
import {
  COMMITMENT_SCHEMA_VERSIONS,
  commitmentDecider,
  commitmentStream,
  type CommitmentCommand,
  type CommitmentEvent,
  type CommitmentState,
  type StoredCommitmentEvent,
} from '../domain/index.js';

export { EventNotUpcastError } from '#platform';

/** The commitment's stream type: its streams, decider and event schema versions. */
export const COMMITMENT_STREAM: StreamType<
  CommitmentCommand,
  CommitmentEvent,
  CommitmentState,
  StoredCommitmentEvent
> = {
  name: 'commitment',
  streamOf: commitmentStream,
  decider: commitmentDecider,
  schemaVersions: COMMITMENT_SCHEMA_VERSIONS,
  upcasters: 'COMMITMENT_UPCASTERS',
};

/**
 * A stored event as the pure domain folds it. Precondition: the store that read it upcasts
 * (`COMMITMENT_UPCASTERS`).
 * @throws EventNotUpcastError for an event older than its type's schema version.
 */
export function toDomainEvent(event: RecordedEvent): StoredCommitmentEvent {
  return domainEventOf(COMMITMENT_STREAM, event);
}

/** Every event of a commitment's stream, oldest first (streams are short: tens to hundreds). */
export function readCommitmentStream(
  store: EventStore,
  commitmentId: string,
): Promise<RecordedEvent[]> {
  return readStreamUpTo(store, commitmentStream(commitmentId));
}

/** Folds recorded events with the commitment's `evolve`. */
export function foldRecorded(
  events: readonly RecordedEvent[],
  from?: CommitmentState,
): CommitmentState {
  return foldStream(COMMITMENT_STREAM, events, from);
}
