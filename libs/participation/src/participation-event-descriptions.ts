import type { ContextEventDescriptions, DescribedStream, EventSummary } from '#platform';
import { DIALOGUE_SPACE_STREAM } from './dialogue/application/dialogue-space-stream.js';
import type { DialogueSpaceEvent, DialogueSpaceState } from './dialogue/domain/index.js';
import { dialogueSpaceChangesOf } from './dialogue/graphql/dialogue.mapper.js';
import { EVALUATION_STREAM } from './evaluations/application/evaluation-stream.js';
import type { EvaluationEvent, EvaluationState } from './evaluations/domain/index.js';
import { evaluationChanges } from './evaluations/graphql/evaluation.mapper.js';
import { PRIORITIZATION_STREAM } from './prioritization/application/prioritization-stream.js';
import type { PrioritizationEvent, PrioritizationState } from './prioritization/domain/index.js';
import { prioritizationChanges } from './prioritization/graphql/prioritization.mapper.js';

type ParticipationEvent = DialogueSpaceEvent | EvaluationEvent | PrioritizationEvent;

const ACTION_STATUS_ES: Record<string, string> = {
  in_progress: 'en curso',
  completed: 'cumplida',
  cancelled: 'cancelada',
};

/**
 * One line about a participation event. Personal members (an evaluation's comment, contact
 * and groups) are never quoted: the audit log names what happened, not what a citizen wrote.
 * Pure; undefined for an event type this context does not record.
 */
export function summarizeParticipationEvent(event: {
  type: string;
  data: unknown;
}): EventSummary | undefined {
  const known = event as ParticipationEvent;
  switch (known.type) {
    case 'DialogueSpaceConvened':
      return {
        es: `Espacio de diálogo convocado: «${known.data.title}», ${known.data.startsAt}`,
        en: `Dialogue space convened: "${known.data.title}", ${known.data.startsAt}`,
      };
    case 'DialogueSpaceRevised':
      return {
        es: `Espacio de diálogo revisado: ${Object.keys(known.data.changes).join(', ')}`,
        en: `Dialogue space revised: ${Object.keys(known.data.changes).join(', ')}`,
      };
    case 'DialogueSpaceHeld':
      return { es: 'Espacio de diálogo realizado', en: 'Dialogue space held' };
    case 'DialogueSpaceCancelled':
      return { es: 'Espacio de diálogo cancelado', en: 'Dialogue space cancelled' };
    case 'AttendanceRecorded':
      return {
        es: `Asistencia registrada: ${known.data.total} personas`,
        en: `Attendance recorded: ${known.data.total} people`,
      };
    case 'ImprovementActionAgreed':
      return {
        es: `Acción de mejora ${known.data.actionId} acordada, vence ${known.data.dueDate}`,
        en: `Improvement action ${known.data.actionId} agreed, due ${known.data.dueDate}`,
      };
    case 'ImprovementActionReported':
      return {
        es: `Acción de mejora ${known.data.actionId}: ${ACTION_STATUS_ES[known.data.status] ?? known.data.status}, ${known.data.percent} %`,
        en: `Improvement action ${known.data.actionId}: ${known.data.status.replace('_', ' ')}, ${known.data.percent}%`,
      };
    case 'EvaluationSubmitted':
      return { es: 'Evaluación ciudadana enviada', en: 'Citizen evaluation submitted' };
    case 'EvaluationAnswered':
      return { es: 'Evaluación respondida', en: 'Evaluation answered' };
    case 'EvaluationReported':
      return { es: 'Evaluación reportada', en: 'Evaluation reported' };
    case 'EvaluationHidden':
      return known.data.automatic
        ? { es: 'Evaluación ocultada por reportes', en: 'Evaluation hidden after reports' }
        : { es: 'Evaluación ocultada', en: 'Evaluation hidden' };
    case 'EvaluationRestored':
      return { es: 'Evaluación restablecida', en: 'Evaluation restored' };
    case 'PrioritizationOpened':
      return {
        es: `Priorización abierta: «${known.data.title}», ${known.data.topics.length} temas`,
        en: `Prioritization opened: "${known.data.title}", ${known.data.topics.length} topics`,
      };
    case 'BallotCast':
      return known.data.replaces === undefined
        ? { es: 'Voto emitido', en: 'Ballot cast' }
        : { es: 'Voto reemplazado', en: 'Ballot replaced' };
    case 'PrioritizationClosed':
      return {
        es: `Priorización cerrada: ${known.data.countedBallots.length} votos contados`,
        en: `Prioritization closed: ${known.data.countedBallots.length} ballots counted`,
      };
    default:
      return undefined;
  }
}

const dialogueSpaces: DescribedStream<DialogueSpaceState> = {
  prefix: 'dialogue-space-',
  name: DIALOGUE_SPACE_STREAM.name,
  state: {
    streamType: DIALOGUE_SPACE_STREAM,
    changes: (before, after) => dialogueSpaceChangesOf({ before, after }),
  },
};

const evaluations: DescribedStream<EvaluationState> = {
  prefix: 'evaluation-',
  name: EVALUATION_STREAM.name,
  state: {
    streamType: EVALUATION_STREAM,
    changes: (before, after) => evaluationChanges({ before, after }),
  },
};

const prioritizations: DescribedStream<PrioritizationState> = {
  prefix: 'prioritization-',
  name: PRIORITIZATION_STREAM.name,
  state: {
    streamType: PRIORITIZATION_STREAM,
    changes: (before, after) => prioritizationChanges({ before, after }),
  },
};

/** How participation's events read in the audit log: a line each, and each stream's diff. */
export const PARTICIPATION_EVENT_DESCRIPTIONS: ContextEventDescriptions = {
  streams: [dialogueSpaces, evaluations, prioritizations] as DescribedStream[],
  summarize: summarizeParticipationEvent,
};
