import { deciderSpec, TEST_NOW } from '../../../../test/support/decider-spec.js';
import {
  evaluationDecider,
  type EvaluationCommand,
  type EvaluationEvent,
  type EvaluationPolicy,
  type HolidayCalendar,
  type TargetDirectory,
} from '../../src/evaluations/domain/index.js';

// Evaluations as tests build them, and the decider's given/when/then set up with a small
// fixed world: one commitment with two milestones, one dialogue space, San José 2023 as the
// only holiday.

export { TEST_NOW };
export const EVALUATION_ID = 'ev-1';
export const COMMITMENT_ID = 'cartagena-2023';
export const AGENCY_ID = 'secretaria-de-participacion';

export const TEST_HOLIDAYS: HolidayCalendar = { isHoliday: (date) => date === '2023-03-20' };

export const TEST_TARGETS: TargetDirectory = {
  commitment: (id) =>
    id === COMMITMENT_ID ? { agencyId: AGENCY_ID, milestoneIds: ['m2', 'm6'] } : undefined,
  dialogueSpace: (id) => (id === 'audiencia-2023' ? { agencyId: 'alcaldia' } : undefined),
};

export const TEST_POLICY: EvaluationPolicy = {
  holidays: TEST_HOLIDAYS,
  autoHideAfter: 3,
  targets: TEST_TARGETS,
};

export const { given } = deciderSpec(evaluationDecider(TEST_POLICY));

export function submit(data: Partial<Record<string, unknown>> = {}): EvaluationCommand {
  return {
    type: 'SubmitEvaluation',
    data: {
      evaluationId: EVALUATION_ID,
      target: { kind: 'milestone', commitmentId: COMMITMENT_ID, milestoneId: 'm6' },
      ratings: { clarity: 4, progress: 2 },
      territory: 'ucg-3',
      ...data,
    },
  } as EvaluationCommand;
}

export function submitted(data: Partial<Record<string, unknown>> = {}): EvaluationEvent {
  return {
    type: 'EvaluationSubmitted',
    data: {
      evaluationId: EVALUATION_ID,
      target: { kind: 'milestone', commitmentId: COMMITMENT_ID, milestoneId: 'm6' },
      agencyId: AGENCY_ID,
      ratings: { clarity: 4, progress: 2 },
      territory: 'ucg-3',
      submittedAt: TEST_NOW.toISOString(),
      dueDate: '2023-03-23',
      ...data,
    },
  } as EvaluationEvent;
}

/** A report; without `reporter`, one written before reporters were recorded. */
export const reported = (reason = 'spam', reporter?: string): EvaluationEvent =>
  ({
    type: 'EvaluationReported',
    data: {
      evaluationId: EVALUATION_ID,
      reason,
      ...(reporter !== undefined ? { reporter } : {}),
      reportedAt: TEST_NOW.toISOString(),
    },
  }) as EvaluationEvent;

export const hidden = (automatic = false): EvaluationEvent => ({
  type: 'EvaluationHidden',
  data: {
    evaluationId: EVALUATION_ID,
    category: 'offensive',
    reason: 'insults a public servant',
    automatic,
    hiddenAt: TEST_NOW.toISOString(),
  },
});
