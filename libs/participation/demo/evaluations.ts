import type { Actor } from '#event-store';
import type { EvaluationCommand } from '../src/evaluations/domain/index.js';

/**
 * Citizens' evaluations of milestone 6 of the Cartagena commitment ("spaces for evaluation
 * and feedback with citizens"), around the public hearing of 7 December 2023: some answered
 * (one twice), one never answered and so overdue, one hidden by a moderator as off topic.
 * Ratings and territories only: the demo writes no personal data.
 */
export interface EvaluationDemoStep {
  commandId: string;
  occurredAt: string;
  actor: Actor;
  command: EvaluationCommand;
}

const COMMITMENT = 'cartagena-cuenta-2023';
const AGENCY = 'alcaldia-cartagena';
const citizen = (n: number): Actor => ({ subject: `anon:demo-ciudadano-${n}`, role: 'anonymous' });
const steward: Actor = { subject: 'demo-participacion', role: 'steward', agency: AGENCY };
const moderator: Actor = { subject: 'demo-moderacion', role: 'moderator' };
/** `hh:mm` in Cartagena (UTC-5) on `day`, as an instant. */
const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00-05:00`).toISOString();

function submission(
  n: number,
  day: string,
  territory: string,
  ratings: Record<string, number>,
): EvaluationDemoStep {
  return {
    commandId: `demo-evaluation-${n}-submit`,
    occurredAt: at(day),
    actor: citizen(n),
    command: {
      type: 'SubmitEvaluation',
      data: {
        evaluationId: `demo-m6-${n}`,
        target: { kind: 'milestone', commitmentId: COMMITMENT, milestoneId: 'm6' },
        ratings,
        territory,
      },
    },
  };
}

function answer(n: number, day: string, text: string, step = 'answer'): EvaluationDemoStep {
  return {
    commandId: `demo-evaluation-${n}-${step}`,
    occurredAt: at(day, '15:00'),
    actor: steward,
    command: { type: 'AnswerEvaluation', data: { evaluationId: `demo-m6-${n}`, answer: text } },
  };
}

export const evaluationsDemo: readonly EvaluationDemoStep[] = [
  submission(1, '2023-12-07', 'localidad-1', { clarity: 4, progress: 3, dialogue_usefulness: 4 }),
  submission(2, '2023-12-07', 'ucg-6', { clarity: 2, progress: 2, dialogue_usefulness: 3 }),
  submission(3, '2023-12-08', 'ucg-12', { clarity: 3, dialogue_usefulness: 2 }),
  submission(4, '2023-12-11', 'bayunca', { progress: 1 }),
  submission(5, '2023-12-12', 'localidad-3', { clarity: 5, progress: 4, dialogue_usefulness: 5 }),
  answer(
    1,
    '2023-12-14',
    'Gracias. Las presentaciones de la audiencia pública del 7 de diciembre están publicadas ' +
      'en el micrositio de rendición de cuentas.',
  ),
  answer(
    2,
    '2023-12-20',
    'Publicaremos el avance de cada hito con sus evidencias antes de la próxima audiencia.',
  ),
  answer(
    2,
    '2024-01-10',
    'Actualización: el informe de avance con evidencias ya está publicado en el micrositio.',
    'answer-again',
  ),
  {
    commandId: 'demo-evaluation-4-hide',
    occurredAt: at('2023-12-12', '09:00'),
    actor: moderator,
    command: {
      type: 'HideEvaluation',
      data: {
        evaluationId: 'demo-m6-4',
        category: 'off_topic',
        reason: 'Se refiere al alumbrado público de Bayunca, no a este hito.',
      },
    },
  },
  answer(
    4,
    '2023-12-15',
    'Su solicitud sobre alumbrado público se trasladó a la Secretaría de Infraestructura ' +
      '(Ley 1755 de 2015, art. 21).',
  ),
  answer(5, '2023-12-19', 'Gracias por su evaluación; la tendremos en cuenta en el plan 2024.'),
  // demo-m6-3 is never answered: overdue since 2 January 2024.
];
