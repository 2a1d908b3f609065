import type { RecordedEvent } from '#event-store';
import { foldRecorded as foldStream, type StreamType } from '#platform';
import {
  PRIORITIZATION_SCHEMA_VERSIONS,
  prioritizationDecider,
  prioritizationStream,
  type PrioritizationCommand,
  type PrioritizationEvent,
  type PrioritizationState,
  type StoredPrioritizationEvent,
} from '../domain/index.js';

/** The prioritization exercise's stream type: its streams, decider and schema versions. */
export const PRIORITIZATION_STREAM: StreamType<
  PrioritizationCommand,
  PrioritizationEvent,
  PrioritizationState,
  StoredPrioritizationEvent
> = {
  name: 'prioritization',
  streamOf: prioritizationStream,
  decider: prioritizationDecider,
  schemaVersions: PRIORITIZATION_SCHEMA_VERSIONS,
  upcasters: 'PRIORITIZATION_UPCASTERS',
};

/** Folds recorded events of one exercise with its evolve. */
export function foldPrioritization(
  events: readonly RecordedEvent[],
  from?: PrioritizationState,
): PrioritizationState {
  return foldStream(PRIORITIZATION_STREAM, events, from);
}
