import type { EventStore } from '#event-store';
import { StreamTimeline } from '#platform';
import type { EvaluationState } from '../domain/index.js';
import { EVALUATION_STREAM } from './evaluation-stream.js';

/** History and time travel of evaluations: the platform's timeline on their stream type. */
export class EvaluationTimeline extends StreamTimeline<EvaluationState> {
  constructor(store: EventStore) {
    super(store, EVALUATION_STREAM);
  }
}
