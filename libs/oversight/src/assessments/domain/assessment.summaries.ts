import type { AssessmentEvent, Completion, ReportKind } from './assessment.events.js';

/** One line about an event, in Spanish and English. */
export interface AssessmentEventSummary {
  es: string;
  en: string;
}

const REPORT: Record<ReportKind, { es: string; en: string }> = {
  action_plan_review: { es: 'revisión del plan de acción', en: 'action plan review' },
  results_report: { es: 'informe de resultados', en: 'results report' },
};

const COMPLETION: Record<Completion, { es: string; en: string }> = {
  no_evidence_available: { es: 'sin evidencia disponible', en: 'no evidence available' },
  not_started: { es: 'cumplimiento no iniciado', en: 'not started' },
  limited: { es: 'cumplimiento limitado', en: 'limited completion' },
  substantial: { es: 'cumplimiento sustancial', en: 'substantial completion' },
  complete: { es: 'cumplimiento completo', en: 'complete' },
};

/**
 * One line about an independent assessment: the commitment, the report, the completion rated,
 * and the assessment it replaces, if any. Never quotes the justification or a reason.
 * Pure; undefined for an event type assessments do not record.
 */
export function summarizeAssessmentEvent(event: {
  type: string;
  data: unknown;
}): AssessmentEventSummary | undefined {
  const known = event as AssessmentEvent;
  switch (known.type) {
    case 'IndependentAssessmentRecorded': {
      const { commitmentId, report, completion, supersedes } = known.data;
      const kind = REPORT[report.kind];
      const rated = COMPLETION[completion];
      return {
        es:
          `Evaluación independiente del compromiso ${commitmentId} (${kind.es} ${report.id}): ` +
          `${rated.es}${supersedes === undefined ? '' : `; reemplaza ${supersedes}`}`,
        en:
          `Independent assessment of commitment ${commitmentId} (${kind.en} ${report.id}): ` +
          `${rated.en}${supersedes === undefined ? '' : `; supersedes ${supersedes}`}`,
      };
    }
    default:
      return undefined;
  }
}
