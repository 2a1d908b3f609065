import type { RecordedEvent } from '#event-store';
import type { EvaluationModel } from './models/evaluation.model.js';

/** The placeholders of the personal members of an evaluation's submission event. */
export function personalPlaceholdersOf(
  events: readonly RecordedEvent[],
): EvaluationModel['personal'] {
  const submitted = events.find((event) => event.type === 'EvaluationSubmitted');
  const data = (submitted?.data ?? {}) as Record<string, unknown>;
  return {
    comment: data.comment ?? null,
    contact: data.contact ?? null,
    groups: data.groups ?? null,
  };
}
