import {
  ACTION_PLAN_STATUSES,
  commitmentRollup,
  planRollup,
  type MilestoneForRollup,
} from '#commitments';
import type { ResourceSpec } from '../resource.js';

interface PlanCommitment {
  id: string;
  status: string;
  milestones: { id: string; status: string; progress: number; weight: number | null }[];
}

/**
 * Action plans, registered or derived from the `actionPlanId` their commitments name, with
 * the plan's roll-up. Its inputs are published too: each commitment's `progress` and
 * `planWeight` (commitments) and each milestone's `progress` and `weight` (milestones), so the
 * value can be recomputed from the package alone (docs/open-data/action-plans.md).
 */
export const actionPlansResource: ResourceSpec = {
  name: 'action-plans',
  title: { es: 'Planes de acción', en: 'Action plans' },
  description: {
    es: 'Un plan de acción por fila: los registrados y los que solo nombran sus compromisos (derivados), con su avance agregado',
    en: 'One action plan per row: the registered ones and the ones only their commitments name (derived), with its roll-up',
  },
  primaryKey: ['id'],
  fields: [
    {
      name: 'id',
      type: 'string',
      required: true,
      unique: true,
      description: { es: 'Identificador del plan', en: 'Action plan id' },
    },
    {
      name: 'registered',
      type: 'boolean',
      required: true,
      description: {
        es: 'true si se registró; false si solo lo nombran sus compromisos (derivado: sin jurisdicción, periodo ni ciclo)',
        en: 'true when registered; false when only its commitments name it (derived: no jurisdiction, period or cycle)',
      },
    },
    {
      name: 'jurisdiction',
      type: 'string',
      description: { es: 'Jurisdicción del plan', en: "The plan's jurisdiction" },
    },
    {
      name: 'title',
      type: 'string',
      required: true,
      description: {
        es: 'Título (para uno derivado, su id)',
        en: 'Title (for a derived one, its id)',
      },
    },
    {
      name: 'periodStart',
      type: 'date',
      description: { es: 'Inicio del periodo', en: "The period's start" },
    },
    {
      name: 'periodEnd',
      type: 'date',
      description: { es: 'Fin del periodo', en: "The period's end" },
    },
    {
      name: 'ogpCycle',
      type: 'string',
      description: {
        es: 'Ciclo de OGP, p. ej. OGP Local 2022-2023',
        en: 'OGP cycle, e.g. OGP Local 2022-2023',
      },
    },
    {
      name: 'status',
      type: 'string',
      required: true,
      enum: [...ACTION_PLAN_STATUSES, 'not_registered'],
      description: {
        es: 'Estado: draft, in_implementation, completed, withdrawn; not_registered para uno derivado',
        en: 'Status: draft, in_implementation, completed, withdrawn; not_registered for a derived one',
      },
    },
    {
      name: 'registeredAt',
      type: 'datetime',
      description: { es: 'Cuándo se registró (UTC)', en: 'When it was registered (UTC)' },
    },
    {
      name: 'progress',
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: {
        es: 'Avance agregado, en porcentaje con dos decimales: media ponderada (planWeight) del progress de sus compromisos que cuentan (ni draft ni withdrawn, con avance); vacío si ninguno cuenta',
        en: "Roll-up, percent with two decimals: the mean of its counted commitments' progress weighted by planWeight (neither draft nor withdrawn, with progress); empty when none counts",
      },
    },
    {
      name: 'countedCommitments',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Compromisos que cuentan en el avance agregado',
        en: 'Commitments counted in the roll-up',
      },
    },
    {
      name: 'lastPosition',
      type: 'integer',
      minimum: 0,
      description: {
        es: 'Posición en el registro del último evento del plan (vacío para uno derivado)',
        en: "Log position of the plan's last event (empty for a derived one)",
      },
    },
  ],
  sql: `
    SELECT ids.id, p.id IS NOT NULL AS registered, p.jurisdiction,
           COALESCE(p.title, ids.id) AS title, p.period_start AS "periodStart",
           p.period_end AS "periodEnd", p.ogp_cycle AS "ogpCycle",
           COALESCE(p.status, 'not_registered') AS status, p.registered_at AS "registeredAt",
           COALESCE(p.commitment_weights, '{}') AS weights, p.last_position AS "lastPosition",
           COALESCE((
             SELECT json_agg(json_build_object(
                      'id', c.id, 'status', c.status,
                      'milestones', COALESCE((
                        SELECT json_agg(json_build_object('id', m.id, 'status', m.status,
                                          'progress', m.progress, 'weight', m.weight)
                                        ORDER BY m.ordinal)
                          FROM read.milestones m WHERE m.commitment_id = c.id), '[]'))
                    ORDER BY c.code, c.id)
               FROM read.commitments c WHERE c.action_plan_id = ids.id), '[]') AS commitments
      FROM (SELECT id FROM read.action_plans
            UNION SELECT action_plan_id FROM read.commitments) ids
      LEFT JOIN read.action_plans p ON p.id = ids.id
     ORDER BY ids.id`,
  rows(row) {
    const commitments = row.commitments as PlanCommitment[];
    const rollup = planRollup(
      commitments.map((c) => ({
        id: c.id,
        status: c.status,
        progress: commitmentRollup(c.milestones.map(milestoneForRollup)).value,
      })),
      row.weights as Record<string, number>,
    );
    return [{ ...row, progress: rollup.value ?? null, countedCommitments: rollup.inputs.length }];
  },
};

function milestoneForRollup(m: PlanCommitment['milestones'][number]): MilestoneForRollup {
  return {
    id: m.id,
    status: m.status,
    progress: Number(m.progress),
    ...(m.weight === null ? {} : { weight: m.weight }),
  };
}
