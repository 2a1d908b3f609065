import type { StoredEvaluationEvent } from './evaluation.events.js';
import type { EvaluationState } from './evaluation.state.js';

/** Folds one stored event into an evaluation. Events of an evaluation never seen are ignored. */
export function evolveEvaluation(
  state: EvaluationState,
  event: StoredEvaluationEvent,
): EvaluationState {
  if (event.type === 'EvaluationSubmitted') {
    const { data } = event;
    return {
      status: 'submitted',
      evaluationId: data.evaluationId,
      target: data.target,
      agencyId: data.agencyId,
      ratings: data.ratings,
      territory: data.territory,
      submittedAt: data.submittedAt,
      dueDate: data.dueDate,
      answers: 0,
      reports: 0,
      reporters: [],
      reportsSinceReview: 0,
      reasonsSinceReview: {},
      moderation: { state: 'visible' },
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'EvaluationAnswered':
      return {
        ...state,
        answers: state.answers + 1,
        answer: { eventId: event.id, answer: event.data.answer, answeredAt: event.data.answeredAt },
      };
    case 'EvaluationReported': {
      // A report without a reporter (written before reporters were recorded) counts as distinct.
      const { reason, reporter } = event.data;
      return {
        ...state,
        reports: state.reports + 1,
        reporters: reporter === undefined ? state.reporters : [...state.reporters, reporter],
        reportsSinceReview: state.reportsSinceReview + 1,
        reasonsSinceReview: {
          ...state.reasonsSinceReview,
          [reason]: (state.reasonsSinceReview[reason] ?? 0) + 1,
        },
      };
    }
    case 'EvaluationHidden': {
      const { category, reason, automatic, hiddenAt } = event.data;
      return { ...state, moderation: { state: 'hidden', category, reason, automatic, hiddenAt } };
    }
    case 'EvaluationRestored':
      return {
        ...state,
        reportsSinceReview: 0,
        reasonsSinceReview: {},
        moderation: { state: 'visible' },
      };
  }
}
