import { describe, expect, it } from '@jest/globals';
import { summarizeAssessmentEvent } from './assessment.summaries.js';

const recorded = (extra: object = {}) => ({
  type: 'IndependentAssessmentRecorded',
  data: {
    assessmentId: 'c1.results_report.r1.1',
    commitmentId: 'c1',
    report: { kind: 'results_report', id: 'r1' },
    scheme: { name: 'OGP IRM', version: '2021' },
    verifiability: 'verifiable',
    openGovernmentLens: { relevant: true, values: ['transparency'] },
    potentialForResults: 'modest',
    completion: 'limited',
    didItOpenGovernment: 'marginal',
    justification: 'free text that is never quoted',
    evidence: [],
    ...extra,
  },
});

describe('summarizeAssessmentEvent', () => {
  it('names the commitment, the report and the completion rated', () => {
    expect(summarizeAssessmentEvent(recorded())).toEqual({
      es: 'Evaluación independiente del compromiso c1 (informe de resultados r1): cumplimiento limitado',
      en: 'Independent assessment of commitment c1 (results report r1): limited completion',
    });
  });

  it('names the assessment it replaces, never the reason', () => {
    const summary = summarizeAssessmentEvent(
      recorded({
        assessmentId: 'c1.action_plan_review.r0.2',
        report: { kind: 'action_plan_review', id: 'r0' },
        completion: 'not_started',
        supersedes: 'c1.action_plan_review.r0.1',
        reason: 'a reason that is never quoted',
      }),
    );
    expect(summary).toEqual({
      es: 'Evaluación independiente del compromiso c1 (revisión del plan de acción r0): cumplimiento no iniciado; reemplaza c1.action_plan_review.r0.1',
      en: 'Independent assessment of commitment c1 (action plan review r0): not started; supersedes c1.action_plan_review.r0.1',
    });
  });

  it('knows nothing of another context event', () => {
    expect(summarizeAssessmentEvent({ type: 'MilestoneAdded', data: {} })).toBeUndefined();
  });
});
