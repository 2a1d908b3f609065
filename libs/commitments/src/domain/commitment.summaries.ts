import type { ActionPlanEvent, ActionPlanStatus } from './action-plan.events.js';
import type { CommitmentCodeEvent } from './commitment-code.events.js';
import type { BudgetPhase, CommitmentEvent } from './commitment.events.js';

/** One line about an event, in Spanish and English. */
export interface CommitmentEventSummary {
  es: string;
  en: string;
}

const PHASE_ES: Record<BudgetPhase, string> = {
  proposed: 'propuesto',
  approved: 'aprobado',
  adjusted: 'ajustado',
  executed: 'ejecutado',
};

const CHANGE_ES: Record<string, string> = {
  code: 'código',
  title: 'título',
  actionPlanId: 'plan de acción',
  startDate: 'fecha de inicio',
  endDate: 'fecha de fin',
  leadAgency: 'entidad líder',
  stakeholders: 'actores',
  problem: 'problema',
  statusQuo: 'situación actual',
  action: 'acción',
  contribution: 'contribución',
  longTermGoal: 'objetivo de largo plazo',
  policyAreas: 'áreas de política',
  ogpValues: 'valores OGP',
  resources: 'recursos',
  territories: 'territorios',
  inclusionGroups: 'grupos de inclusión',
};

const PLAN_CHANGE_ES: Record<string, string> = {
  jurisdiction: 'jurisdicción',
  title: 'título',
  periodStart: 'inicio del periodo',
  periodEnd: 'fin del periodo',
  ogpCycle: 'ciclo OGP',
  status: 'estado',
};

const PLAN_STATUS: Record<ActionPlanStatus, { es: string; en: string }> = {
  draft: { es: 'borrador', en: 'draft' },
  in_implementation: { es: 'en implementación', en: 'in implementation' },
  completed: { es: 'cumplido', en: 'completed' },
  withdrawn: { es: 'retirado', en: 'withdrawn' },
};

/** Each id with its weight, as the event lists them: `c1 (2), c2 (1)`. */
const weights = (entries: readonly { id: string; weight: number }[]) =>
  entries.map((entry) => `${entry.id} (${entry.weight})`).join(', ');

/** Whole pesos with thousands separators, the same in both languages: `1.250.000`. */
const pesos = (amount: number) => String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/**
 * One line about a commitment's (or a code reservation's, or an action plan's) event: what
 * happened, to which milestone, budget line or commitment, with the new value. The commitment
 * or plan itself is the entry's stream. Quotes no free text beyond titles (never a reason).
 * Pure; undefined for an event type this context does not record.
 */
export function summarizeCommitmentEvent(event: {
  type: string;
  data: unknown;
}): CommitmentEventSummary | undefined {
  const known = event as CommitmentEvent | CommitmentCodeEvent | ActionPlanEvent;
  switch (known.type) {
    case 'CommitmentRegistered':
      return {
        es: `Compromiso ${known.data.code} registrado: «${known.data.title}»`,
        en: `Commitment ${known.data.code} registered: "${known.data.title}"`,
      };
    case 'CommitmentRevised': {
      const fields = Object.keys(known.data.changes);
      return {
        es: `Compromiso revisado: ${fields.map((f) => CHANGE_ES[f] ?? f).join(', ')}`,
        en: `Commitment revised: ${fields.join(', ')}`,
      };
    }
    case 'CommitmentPublished':
      return { es: 'Compromiso publicado', en: 'Commitment published' };
    case 'CommitmentStarted':
      return { es: 'Compromiso en ejecución', en: 'Commitment started' };
    case 'CommitmentCompleted':
      return { es: 'Compromiso cumplido', en: 'Commitment completed' };
    case 'CommitmentWithdrawn':
      return { es: 'Compromiso retirado', en: 'Commitment withdrawn' };
    case 'MilestoneAdded':
      return {
        es: `Hito ${known.data.milestoneId} agregado: «${known.data.title}», ${known.data.plannedStart} a ${known.data.plannedEnd}`,
        en: `Milestone ${known.data.milestoneId} added: "${known.data.title}", ${known.data.plannedStart} to ${known.data.plannedEnd}`,
      };
    case 'MilestoneRescheduled':
      return {
        es: `Hito ${known.data.milestoneId} reprogramado: ${known.data.plannedStart} a ${known.data.plannedEnd}`,
        en: `Milestone ${known.data.milestoneId} rescheduled: ${known.data.plannedStart} to ${known.data.plannedEnd}`,
      };
    case 'MilestoneProgressReported':
      return {
        es: `Avance del hito ${known.data.milestoneId}: ${known.data.percent} %`,
        en: `Milestone ${known.data.milestoneId} progress: ${known.data.percent}%`,
      };
    case 'MilestoneCompleted':
      return {
        es: `Hito ${known.data.milestoneId} cumplido`,
        en: `Milestone ${known.data.milestoneId} completed`,
      };
    case 'MilestoneCancelled':
      return {
        es: `Hito ${known.data.milestoneId} cancelado`,
        en: `Milestone ${known.data.milestoneId} cancelled`,
      };
    case 'MilestoneWeightsSet': {
      const set = weights(known.data.weights.map((w) => ({ id: w.milestoneId, weight: w.weight })));
      return {
        es: `Pesos de los hitos fijados: ${set}`,
        en: `Milestone weights set: ${set}`,
      };
    }
    case 'BudgetRecorded':
      return {
        es: `Presupuesto ${PHASE_ES[known.data.phase]} de la línea ${known.data.lineId}: COP ${pesos(known.data.amountCop)}`,
        en: `Budget line ${known.data.lineId}, ${known.data.phase}: COP ${pesos(known.data.amountCop)}`,
      };
    case 'EventCorrected':
      return known.data.replacement
        ? {
            es: `Corrección de un evento ${known.data.correctedEventType}`,
            en: `Correction of a ${known.data.correctedEventType} event`,
          }
        : {
            es: `Retracción de un evento ${known.data.correctedEventType}`,
            en: `Retraction of a ${known.data.correctedEventType} event`,
          };
    case 'CommitmentCodeClaimed':
      return {
        es: `Código ${known.data.code} reservado para el compromiso ${known.data.commitmentId}`,
        en: `Code ${known.data.code} claimed for commitment ${known.data.commitmentId}`,
      };
    case 'CommitmentCodeReleased':
      return {
        es: `Código ${known.data.code} liberado por el compromiso ${known.data.commitmentId}`,
        en: `Code ${known.data.code} released by commitment ${known.data.commitmentId}`,
      };
    case 'ActionPlanRegistered':
      return {
        es: `Plan de acción ${known.data.actionPlanId} registrado: «${known.data.title}», ${known.data.periodStart} a ${known.data.periodEnd}`,
        en: `Action plan ${known.data.actionPlanId} registered: "${known.data.title}", ${known.data.periodStart} to ${known.data.periodEnd}`,
      };
    case 'ActionPlanRevised': {
      const fields = Object.keys(known.data.changes);
      const status = known.data.changes.status;
      const to = status === undefined ? undefined : PLAN_STATUS[status];
      return {
        es: `Plan de acción revisado: ${fields.map((f) => PLAN_CHANGE_ES[f] ?? f).join(', ')}${to ? ` (ahora ${to.es})` : ''}`,
        en: `Action plan revised: ${fields.join(', ')}${to ? ` (now ${to.en})` : ''}`,
      };
    }
    case 'CommitmentWeightsSet': {
      const set = weights(
        known.data.weights.map((w) => ({ id: w.commitmentId, weight: w.weight })),
      );
      return {
        es: `Pesos de los compromisos en el plan fijados: ${set}`,
        en: `Commitment weights in the plan set: ${set}`,
      };
    }
    default:
      return undefined;
  }
}
