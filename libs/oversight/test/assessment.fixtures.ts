import { OGP_VALUES, validEvidence, type Evidence } from '#commitments';
import { deciderSpec } from '../../../test/support/decider-spec.js';
import {
  assessmentDecider,
  type IndependentAssessmentRecorded,
  type RecordIndependentAssessment,
} from '../src/assessments/domain/index.js';

// Test data for independent assessments: the IRM's results report on the Cartagena
// commitment, with the vocabulary the API uses (the commitments context's).

export const { given } = deciderSpec(
  assessmentDecider({ ogpValues: OGP_VALUES, evidence: validEvidence }),
);

export const COMMITMENT_ID = 'cartagena-cuenta-2023';
export const REPORT = { kind: 'results_report' as const, id: 'irm-cartagena-2023' };
export const STREAM_ID = `${COMMITMENT_ID}.results_report.irm-cartagena-2023`;

export const REPORT_PDF: Evidence = {
  kind: 'link',
  url: 'https://www.opengovpartnership.org/documents/cartagena-results-report-2023/',
  sha256: 'a'.repeat(64),
  mediaType: 'application/pdf',
  description: 'Informe de resultados del MRI, 2023',
};

type Data = RecordIndependentAssessment['data'];

/** The command as an assessor sends it; `data` overrides members (undefined removes one). */
export function recordCommand(data: Partial<Record<keyof Data, unknown>> = {}) {
  const base: Record<string, unknown> = {
    commitmentId: COMMITMENT_ID,
    report: REPORT,
    scheme: { name: 'OGP IRM', version: '2021' },
    verifiability: 'verifiable',
    openGovernmentLens: { relevant: true, values: ['transparency', 'public_accountability'] },
    potentialForResults: 'modest',
    completion: 'substantial',
    didItOpenGovernment: 'marginal',
    justification: 'Se publicaron los informes trimestrales; faltó la audiencia de cierre.',
    evidence: [REPORT_PDF],
  };
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return { type: 'RecordIndependentAssessment' as const, data: base as Data };
}

/** The event the default command records as the report's n-th assessment. */
export function recordedEvent(
  n = 1,
  extra: Partial<IndependentAssessmentRecorded['data']> = {},
): IndependentAssessmentRecorded {
  return {
    type: 'IndependentAssessmentRecorded',
    data: {
      assessmentId: `${STREAM_ID}.${n}`,
      commitmentId: COMMITMENT_ID,
      report: REPORT,
      scheme: { name: 'OGP IRM', version: '2021' },
      verifiability: 'verifiable',
      openGovernmentLens: { relevant: true, values: ['transparency', 'public_accountability'] },
      potentialForResults: 'modest',
      completion: 'substantial',
      didItOpenGovernment: 'marginal',
      justification: 'Se publicaron los informes trimestrales; faltó la audiencia de cierre.',
      evidence: [REPORT_PDF],
      ...extra,
    },
  };
}
