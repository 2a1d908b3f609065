import { commitmentRollup, MAX_WEIGHT } from '#commitments';
import {
  LAST_POSITION_FIELD,
  STREAM_VERSION_FIELD,
  type FieldSpec,
  type ResourceSpec,
} from '../resource.js';
import {
  colombianDay,
  dueDateOf,
  ocdsMilestoneStatus,
  OCDS_MILESTONE_STATUSES,
} from '../milestone-status.js';

const COMMITMENT_STATUSES = ['draft', 'published', 'in_progress', 'completed', 'withdrawn'];
const MILESTONE_STATUSES = ['scheduled', 'in_progress', 'delayed', 'completed', 'cancelled'];
const PLANNED_DATE = '^\\d{4}-\\d{2}(-\\d{2})?$';
const SHA256 = '^[0-9a-f]{64}$';

function commitmentId(es: string, en: string): FieldSpec {
  return { name: 'commitmentId', type: 'string', required: true, description: { es, en } };
}

export const commitmentsResource: ResourceSpec = {
  name: 'commitments',
  title: { es: 'Compromisos', en: 'Commitments' },
  description: {
    es: 'Un compromiso del plan de acción por fila, como lo registra Cuenta (plantilla de compromisos de OGP)',
    en: 'One action-plan commitment per row, as Cuenta records it (the OGP commitment template)',
  },
  primaryKey: ['id'],
  foreignKeys: [{ fields: ['actionPlanId'], resource: 'action-plans', reference: ['id'] }],
  fields: [
    {
      name: 'id',
      type: 'string',
      required: true,
      unique: true,
      description: { es: 'Identificador del compromiso', en: 'Commitment id' },
    },
    {
      name: 'code',
      type: 'string',
      required: true,
      description: { es: 'Código corto del compromiso', en: "The commitment's short code" },
    },
    { name: 'title', type: 'string', required: true, description: { es: 'Título', en: 'Title' } },
    {
      name: 'actionPlanId',
      type: 'string',
      required: true,
      description: { es: 'Plan de acción al que pertenece', en: 'The action plan it belongs to' },
    },
    {
      name: 'status',
      type: 'string',
      required: true,
      enum: COMMITMENT_STATUSES,
      description: {
        es: 'Estado: draft (borrador), published (publicado), in_progress (en curso), completed (cumplido), withdrawn (retirado)',
        en: 'Status: draft, published, in_progress, completed, withdrawn',
      },
    },
    {
      name: 'startDate',
      type: 'date',
      required: true,
      description: { es: 'Fecha de inicio', en: 'Start date' },
    },
    {
      name: 'endDate',
      type: 'date',
      required: true,
      description: { es: 'Fecha de fin', en: 'End date' },
    },
    {
      name: 'leadAgencyId',
      type: 'string',
      required: true,
      description: { es: 'Identificador de la entidad líder', en: "Lead agency's id" },
    },
    {
      name: 'leadAgency',
      type: 'string',
      required: true,
      description: { es: 'Nombre de la entidad líder', en: "Lead agency's name" },
    },
    {
      name: 'leadOffices',
      type: 'array',
      required: true,
      description: {
        es: 'Dependencias de la entidad que lo ejecutan (lista JSON)',
        en: "The agency's implementing offices (JSON list)",
      },
    },
    {
      name: 'stakeholders',
      type: 'array',
      required: true,
      description: {
        es: 'Actores no gubernamentales que lo acompañan (lista JSON)',
        en: 'Non-governmental stakeholders (JSON list)',
      },
    },
    {
      name: 'problem',
      type: 'string',
      description: { es: 'Problema que atiende', en: 'The problem it addresses' },
    },
    {
      name: 'statusQuo',
      type: 'string',
      description: { es: 'Situación actual', en: 'Status quo' },
    },
    { name: 'action', type: 'string', description: { es: 'Qué se hará', en: 'What will be done' } },
    {
      name: 'contribution',
      type: 'string',
      description: {
        es: 'Cómo contribuye a resolver el problema',
        en: 'How it contributes to solving the problem',
      },
    },
    {
      name: 'longTermGoal',
      type: 'string',
      description: { es: 'Objetivo de largo plazo', en: 'Long-term goal' },
    },
    {
      name: 'policyAreas',
      type: 'array',
      required: true,
      description: { es: 'Áreas de política (lista JSON)', en: 'Policy areas (JSON list)' },
    },
    {
      name: 'ogpValues',
      type: 'array',
      required: true,
      description: {
        es: 'Valores de OGP: transparency, citizen_participation, public_accountability, technology_and_innovation, inclusion (lista JSON)',
        en: 'OGP values: transparency, citizen_participation, public_accountability, technology_and_innovation, inclusion (JSON list)',
      },
    },
    {
      name: 'resources',
      type: 'string',
      description: { es: 'Recursos previstos', en: 'Resources foreseen' },
    },
    {
      name: 'localidades',
      type: 'array',
      required: true,
      description: {
        es: 'Localidades donde aplica (lista JSON; vacía: no se indicó)',
        en: 'Localidades where it applies (JSON list; empty: not stated)',
      },
    },
    {
      name: 'comunas',
      type: 'array',
      required: true,
      description: {
        es: 'Comunas o unidades comuneras de gobierno (UCG) donde aplica (lista JSON)',
        en: 'Comunas or unidades comuneras de gobierno (UCG) where it applies (JSON list)',
      },
    },
    {
      name: 'corregimientos',
      type: 'array',
      required: true,
      description: {
        es: 'Corregimientos donde aplica (lista JSON)',
        en: 'Corregimientos where it applies (JSON list)',
      },
    },
    {
      name: 'inclusionGroups',
      type: 'array',
      required: true,
      description: {
        es: 'Grupos de inclusión a los que se dirige (lista JSON)',
        en: 'Inclusion groups it addresses (JSON list)',
      },
    },
    {
      name: 'registeredAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se registró (UTC)', en: 'When it was registered (UTC)' },
    },
    {
      name: 'publishedAt',
      type: 'datetime',
      description: { es: 'Cuándo se publicó (UTC)', en: 'When it was published (UTC)' },
    },
    {
      name: 'startedAt',
      type: 'datetime',
      description: {
        es: 'Cuándo se reportó el primer avance (UTC)',
        en: 'When its first progress was reported (UTC)',
      },
    },
    {
      name: 'completedAt',
      type: 'datetime',
      description: {
        es: 'Cuándo se declaró cumplido (UTC)',
        en: 'When it was declared completed (UTC)',
      },
    },
    {
      name: 'withdrawnAt',
      type: 'datetime',
      description: { es: 'Cuándo se retiró (UTC)', en: 'When it was withdrawn (UTC)' },
    },
    {
      name: 'withdrawalReason',
      type: 'string',
      description: { es: 'Motivo del retiro', en: 'Why it was withdrawn' },
    },
    STREAM_VERSION_FIELD,
    {
      name: 'progress',
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: {
        es: 'Avance agregado, en porcentaje con dos decimales: media ponderada (weight) del progress de sus hitos no cancelados; vacío si no tiene ninguno',
        en: "Roll-up, percent with two decimals: the mean of its milestones' progress weighted by weight, cancelled ones left out; empty when none counts",
      },
    },
    {
      name: 'planWeight',
      type: 'integer',
      required: true,
      minimum: 1,
      maximum: MAX_WEIGHT,
      description: {
        es: 'Su peso en el avance agregado de su plan (1 si nadie lo fijó)',
        en: "Its weight in its plan's roll-up (1 unless someone set it)",
      },
    },
    LAST_POSITION_FIELD,
  ],
  sql: `
    SELECT id, code, title, action_plan_id AS "actionPlanId", status,
           start_date::text AS "startDate", end_date::text AS "endDate",
           lead_agency_id AS "leadAgencyId", lead_agency AS "leadAgency",
           lead_offices AS "leadOffices", stakeholders, problem, status_quo AS "statusQuo",
           action, contribution, long_term_goal AS "longTermGoal", policy_areas AS "policyAreas",
           ogp_values AS "ogpValues", resources, localidades, comunas, corregimientos,
           inclusion_groups AS "inclusionGroups", registered_at AS "registeredAt",
           published_at AS "publishedAt", started_at AS "startedAt",
           completed_at AS "completedAt", withdrawn_at AS "withdrawnAt",
           withdrawal_reason AS "withdrawalReason", version, last_position AS "lastPosition",
           COALESCE((SELECT (p.commitment_weights->>commitments.id)::int
                       FROM read.action_plans p
                      WHERE p.id = commitments.action_plan_id), 1) AS "planWeight",
           COALESCE((SELECT json_agg(json_build_object('id', m.id, 'status', m.status,
                                       'progress', m.progress, 'weight', m.weight))
                       FROM read.milestones m
                      WHERE m.commitment_id = commitments.id), '[]') AS milestones
      FROM read.commitments
     ORDER BY id`,
  // progress: the roll-up of its milestones (their progress and weight are in milestones).
  rows(row) {
    const milestones = row.milestones as {
      id: string;
      status: string;
      progress: number;
      weight: number | null;
    }[];
    const rollup = commitmentRollup(
      milestones.map((m) => ({
        id: m.id,
        status: m.status,
        progress: Number(m.progress),
        ...(m.weight === null ? {} : { weight: m.weight }),
      })),
    );
    return [{ ...row, progress: rollup.value ?? null }];
  },
};

export const milestonesResource: ResourceSpec = {
  name: 'milestones',
  title: { es: 'Hitos', en: 'Milestones' },
  description: {
    es: 'Un hito de un compromiso por fila, con los campos de hito de OCDS (dueDate, dateMet, dateModified, milestoneStatus)',
    en: "One commitment milestone per row, with OCDS's milestone fields (dueDate, dateMet, dateModified, milestoneStatus)",
  },
  primaryKey: ['commitmentId', 'id'],
  foreignKeys: [{ fields: ['commitmentId'], resource: 'commitments', reference: ['id'] }],
  fields: [
    commitmentId('Compromiso al que pertenece', 'The commitment it belongs to'),
    {
      name: 'id',
      type: 'string',
      required: true,
      description: {
        es: 'Identificador del hito dentro del compromiso',
        en: 'Milestone id within the commitment',
      },
    },
    {
      name: 'ordinal',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Orden en que se agregó (desde 0)',
        en: 'Order in which it was added (from 0)',
      },
    },
    { name: 'title', type: 'string', required: true, description: { es: 'Título', en: 'Title' } },
    {
      name: 'responsibleOffice',
      type: 'string',
      required: true,
      description: { es: 'Dependencia responsable', en: 'Responsible office' },
    },
    {
      name: 'plannedStart',
      type: 'string',
      required: true,
      pattern: PLANNED_DATE,
      description: {
        es: 'Inicio planeado: un día (AAAA-MM-DD) o un mes (AAAA-MM)',
        en: 'Planned start: a day (YYYY-MM-DD) or a month (YYYY-MM)',
      },
    },
    {
      name: 'plannedEnd',
      type: 'string',
      required: true,
      pattern: PLANNED_DATE,
      description: { es: 'Fin planeado: un día o un mes', en: 'Planned end: a day or a month' },
    },
    {
      name: 'dueDate',
      type: 'date',
      required: true,
      description: {
        es: 'OCDS dueDate: el fin planeado; si es un mes, su último día',
        en: 'OCDS dueDate: the planned end; for a month, its last day',
      },
    },
    {
      name: 'status',
      type: 'string',
      required: true,
      enum: MILESTONE_STATUSES,
      description: {
        es: 'Estado en Cuenta: scheduled, in_progress, delayed (reprogramado para terminar después), completed, cancelled',
        en: "Cuenta's status: scheduled, in_progress, delayed (rescheduled to end later), completed, cancelled",
      },
    },
    {
      name: 'milestoneStatus',
      type: 'string',
      required: true,
      enum: OCDS_MILESTONE_STATUSES,
      description: {
        es: 'OCDS milestoneStatus, derivado del estado y de dueDate a la fecha del corte (ver docs/open-data.md)',
        en: 'OCDS milestoneStatus, mapped from the status and dueDate as of the cut (see docs/open-data.md)',
      },
    },
    {
      name: 'progress',
      type: 'integer',
      required: true,
      minimum: 0,
      maximum: 100,
      description: {
        es: 'Avance reportado, en porcentaje entero',
        en: 'Reported progress, whole percent',
      },
    },
    {
      name: 'weight',
      type: 'integer',
      required: true,
      minimum: 1,
      maximum: MAX_WEIGHT,
      description: {
        es: 'Su peso en el avance agregado de su compromiso (1 si nadie lo fijó)',
        en: "Its weight in its commitment's roll-up (1 unless someone set it)",
      },
    },
    {
      name: 'reschedules',
      type: 'integer',
      required: true,
      minimum: 0,
      description: { es: 'Veces que se movieron sus fechas', en: 'Times its dates were moved' },
    },
    {
      name: 'dateMet',
      type: 'datetime',
      description: {
        es: 'OCDS dateMet: cuándo se cumplió (UTC)',
        en: 'OCDS dateMet: when it was met (UTC)',
      },
    },
    {
      name: 'dateModified',
      type: 'datetime',
      description: {
        es: 'OCDS dateModified: cuándo Cuenta registró su último cambio (UTC)',
        en: 'OCDS dateModified: when Cuenta recorded its last change (UTC)',
      },
    },
    {
      name: 'lastReportedAt',
      type: 'datetime',
      description: { es: 'Último reporte de avance (UTC)', en: 'Last progress report (UTC)' },
    },
    {
      name: 'cancelledAt',
      type: 'datetime',
      description: { es: 'Cuándo se canceló (UTC)', en: 'When it was cancelled (UTC)' },
    },
    {
      name: 'cancellationReason',
      type: 'string',
      description: { es: 'Motivo de la cancelación', en: 'Why it was cancelled' },
    },
  ],
  // dateModified: the recording time of the milestone's last event, from the log itself.
  sql: `
    SELECT m.commitment_id AS "commitmentId", m.id, m.ordinal, m.title,
           m.responsible_office AS "responsibleOffice", m.planned_start AS "plannedStart",
           m.planned_end AS "plannedEnd", m.status, m.progress,
           COALESCE(m.weight, 1) AS weight, m.reschedules,
           m.completed_at AS "dateMet", changed.at AS "dateModified",
           m.last_reported_at AS "lastReportedAt", m.cancelled_at AS "cancelledAt",
           m.cancellation_reason AS "cancellationReason"
      FROM read.milestones m
      LEFT JOIN (
        SELECT stream_id, data->>'milestoneId' AS milestone_id,
               max((metadata->>'recordedAt')::timestamptz) AS at
          FROM events.events
         WHERE global_position < $1 AND stream_id LIKE 'commitment-%'
           AND type IN ('MilestoneAdded', 'MilestoneRescheduled', 'MilestoneProgressReported',
                        'MilestoneCompleted', 'MilestoneCancelled')
         GROUP BY 1, 2) changed
        ON changed.stream_id = 'commitment-' || m.commitment_id AND changed.milestone_id = m.id
     ORDER BY m.commitment_id, m.id`,
  rows(row, cut) {
    const dueDate = dueDateOf(String(row.plannedEnd));
    const milestoneStatus = ocdsMilestoneStatus({
      status: String(row.status),
      progress: Number(row.progress),
      dueDate,
      today: cut.asOf === null ? null : colombianDay(cut.asOf),
    });
    return [{ ...row, dueDate, milestoneStatus }];
  },
};

export const budgetResource: ResourceSpec = {
  name: 'budget',
  title: { es: 'Presupuesto', en: 'Budget' },
  description: {
    es: 'Forma de Fiscal Data Package: una fila por línea presupuestal y fase (proposed, approved, adjusted, executed), en pesos colombianos, como gasto',
    en: 'Fiscal Data Package shape: one row per budget line and phase (proposed, approved, adjusted, executed), in Colombian pesos, as expenditure',
  },
  primaryKey: ['commitmentId', 'budgetLineId', 'phase'],
  foreignKeys: [{ fields: ['commitmentId'], resource: 'commitments', reference: ['id'] }],
  fields: [
    commitmentId('Compromiso que financia', 'The commitment it funds'),
    {
      name: 'budgetLineId',
      type: 'string',
      required: true,
      description: {
        es: 'Línea presupuestal dentro del compromiso',
        en: 'Budget line within the commitment',
      },
    },
    {
      name: 'phase',
      type: 'string',
      required: true,
      enum: ['proposed', 'approved', 'adjusted', 'executed'],
      description: {
        es: 'Fase presupuestal (FDP): proposed (propuesto), approved (aprobado), adjusted (ajustado), executed (ejecutado, acumulado)',
        en: 'Budget phase (FDP): proposed, approved, adjusted, executed (cumulative)',
      },
    },
    {
      name: 'amount',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Monto más reciente registrado para la fase, en pesos enteros',
        en: 'Latest amount recorded for the phase, in whole pesos',
      },
    },
    {
      name: 'currency',
      type: 'string',
      required: true,
      enum: ['COP'],
      description: { es: 'Moneda (ISO 4217): siempre COP', en: 'Currency (ISO 4217): always COP' },
    },
    {
      name: 'direction',
      type: 'string',
      required: true,
      enum: ['expenditure'],
      description: {
        es: 'Dirección (FDP): siempre expenditure (gasto)',
        en: 'Direction (FDP): always expenditure',
      },
    },
    {
      name: 'fiscalPeriodStart',
      type: 'date',
      required: true,
      description: {
        es: 'Inicio del periodo fiscal: el inicio del compromiso (Cuenta no registra vigencia por línea)',
        en: "Fiscal period start: the commitment's start (Cuenta records no fiscal year per line)",
      },
    },
    {
      name: 'fiscalPeriodEnd',
      type: 'date',
      required: true,
      description: {
        es: 'Fin del periodo fiscal: el fin del compromiso',
        en: "Fiscal period end: the commitment's end",
      },
    },
    {
      name: 'fundingSource',
      type: 'string',
      required: true,
      description: { es: 'Fuente de financiación', en: 'Funding source' },
    },
    {
      name: 'milestoneId',
      type: 'string',
      description: {
        es: 'Hito al que se asigna, si alguno',
        en: 'The milestone it is assigned to, if any',
      },
    },
  ],
  sql: `
    SELECT b.commitment_id AS "commitmentId", b.id AS "budgetLineId", p.phase, p.amount,
           'COP' AS currency, 'expenditure' AS direction,
           c.start_date::text AS "fiscalPeriodStart", c.end_date::text AS "fiscalPeriodEnd",
           b.funding_source AS "fundingSource", b.milestone_id AS "milestoneId"
      FROM read.budget_lines b
      JOIN read.commitments c ON c.id = b.commitment_id
     CROSS JOIN LATERAL (VALUES (1, 'proposed', b.proposed), (2, 'approved', b.approved),
                                (3, 'adjusted', b.adjusted), (4, 'executed', b.executed))
           AS p(rank, phase, amount)
     WHERE p.amount IS NOT NULL
     ORDER BY b.commitment_id, b.id, p.rank`,
};

export const evidenceResource: ResourceSpec = {
  name: 'evidence',
  title: { es: 'Evidencias', en: 'Evidence' },
  description: {
    es: 'Una evidencia de avance por fila: el hash SHA-256 del documento, su tipo de medio y su enlace',
    en: "One piece of progress evidence per row: the document's SHA-256 hash, media type and link",
  },
  primaryKey: ['commitmentId', 'milestoneId', 'ordinal'],
  foreignKeys: [
    {
      fields: ['commitmentId', 'milestoneId'],
      resource: 'milestones',
      reference: ['commitmentId', 'id'],
    },
  ],
  fields: [
    commitmentId('Compromiso', 'Commitment'),
    {
      name: 'milestoneId',
      type: 'string',
      required: true,
      description: {
        es: 'Hito cuyo avance respalda',
        en: 'The milestone whose progress it supports',
      },
    },
    {
      name: 'ordinal',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Orden dentro del hito (desde 0)',
        en: 'Order within the milestone (from 0)',
      },
    },
    {
      name: 'kind',
      type: 'string',
      required: true,
      enum: ['link', 'document'],
      description: {
        es: 'link (enlace) o document (documento identificado por su hash)',
        en: 'link, or document (identified by its hash)',
      },
    },
    {
      name: 'sha256',
      type: 'string',
      required: true,
      pattern: SHA256,
      description: {
        es: 'SHA-256 de los bytes del documento (64 dígitos hexadecimales)',
        en: "SHA-256 of the document's bytes (64 hex digits)",
      },
    },
    {
      name: 'mediaType',
      type: 'string',
      required: true,
      description: {
        es: 'Tipo de medio IANA, p. ej. application/pdf',
        en: 'IANA media type, e.g. application/pdf',
      },
    },
    {
      name: 'url',
      type: 'string',
      description: { es: 'Enlace (para kind link)', en: 'Link (for kind link)' },
    },
    {
      name: 'fileName',
      type: 'string',
      description: {
        es: 'Nombre del archivo (para kind document)',
        en: 'File name (for kind document)',
      },
    },
    {
      name: 'description',
      type: 'string',
      required: true,
      description: { es: 'Descripción', en: 'Description' },
    },
    {
      name: 'reportedAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se reportó (UTC)', en: 'When it was reported (UTC)' },
    },
  ],
  sql: `
    SELECT commitment_id AS "commitmentId", milestone_id AS "milestoneId", ordinal, kind, sha256,
           media_type AS "mediaType", url, file_name AS "fileName", description,
           reported_at AS "reportedAt"
      FROM read.evidence
     ORDER BY commitment_id, milestone_id, ordinal`,
};
