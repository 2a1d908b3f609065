import type { StoredAssessmentEvent } from './assessment.events.js';
import type { AssessmentState, RecordedAssessment } from './assessment.state.js';

/** Folds one event into the state: each assessment joins the list, as the current one. */
export function evolveAssessment(
  state: AssessmentState,
  event: StoredAssessmentEvent,
): AssessmentState {
  switch (event.type) {
    case 'IndependentAssessmentRecorded': {
      const { commitmentId, report, ...assessment } = event.data;
      const earlier = state.status === 'assessed' ? state.assessments : [];
      const recorded: RecordedAssessment = {
        ...assessment,
        ordinal: earlier.length + 1,
        eventId: event.id,
      };
      return { status: 'assessed', commitmentId, report, assessments: [...earlier, recorded] };
    }
  }
}
