import type { RecordedEvent, Upcaster } from '#event-store';
import { toDomainEvent, type StreamType } from '#platform';
import {
  EVALUATION_SCHEMA_VERSIONS,
  evaluationDecider,
  evaluationStream,
  type EvaluationCommand,
  type EvaluationEvent,
  type EvaluationPolicy,
  type EvaluationState,
  type StoredEvaluationEvent,
} from '../domain/index.js';

export type EvaluationStreamType = StreamType<
  EvaluationCommand,
  EvaluationEvent,
  EvaluationState,
  StoredEvaluationEvent
>;

/** The evaluation's stream type under a policy (holidays, auto-hide, targets). */
export function evaluationStreamType(policy: EvaluationPolicy): EvaluationStreamType {
  return {
    name: 'evaluation',
    streamOf: evaluationStream,
    decider: evaluationDecider(policy),
    schemaVersions: EVALUATION_SCHEMA_VERSIONS,
    upcasters: 'EVALUATION_UPCASTERS',
  };
}

const NO_TARGETS = { commitment: () => undefined, dialogueSpace: () => undefined };
const NO_HOLIDAYS = { isHoliday: () => false };

/**
 * The stream type for reading (folding, history, time travel): evolve needs no policy.
 */
export const EVALUATION_STREAM: EvaluationStreamType = evaluationStreamType({
  holidays: NO_HOLIDAYS,
  autoHideAfter: Infinity,
  targets: NO_TARGETS,
});

/** Evaluation events have had one shape so far. */
export const EVALUATION_UPCASTERS: readonly Upcaster[] = [];

/**
 * A stored event as the domain folds it. Precondition: the store that read it upcasts
 * (`EVALUATION_UPCASTERS`).
 */
export function toDomainEvaluationEvent(event: RecordedEvent): StoredEvaluationEvent {
  return toDomainEvent(EVALUATION_STREAM, event);
}
