import type { DataSource } from 'typeorm';
import { TERRITORIES } from '#participation';
import type {
  DialogueAggregate,
  EvaluationAggregate,
  GroupAggregate,
  StatisticsGrouping,
  StatusCount,
  ThingCounts,
} from '../domain/statistics.js';

/** Which commitments a table covers; every given member must match. */
export interface StatisticsFilter {
  actionPlanId?: string;
  agencyId?: string;
}

export const COMMITMENT_STATUSES = [
  'draft',
  'published',
  'in_progress',
  'completed',
  'withdrawn',
] as const;
export const MILESTONE_STATUSES = [
  'scheduled',
  'in_progress',
  'delayed',
  'completed',
  'cancelled',
] as const;
export const DIALOGUE_SPACE_STATUSES = ['convened', 'held', 'cancelled'] as const;

/** Completion and "today" are Bogotá's calendar days (Colombia keeps UTC-5 all year). */
const ZONE = 'America/Bogota';

// A list with one null in place of an empty one, so a row that states none of a kind still
// counts, in the group with no key.
const orNone = (array: string) =>
  `(CASE WHEN cardinality(${array}) = 0 THEN ARRAY[NULL]::text[] ELSE ${array} END)`;

/** The commitment's territories of one kind, by the jurisdiction's id when a name matches. */
function commitmentTerritoryKeys(column: string, kind: string): string {
  return `SELECT DISTINCT coalesce(t.id, x) AS key FROM unnest(${orNone(column)}) x
    LEFT JOIN territory t ON t.kind = '${kind}' AND (t.id = x OR lower(t.name) = lower(x))`;
}

/** A territory id's group: a UCG counts in its localidad too. */
function territoryIdKey(column: string, grouping: 'localidad' | 'ucg' | 'corregimiento'): string {
  const value =
    grouping === 'localidad'
      ? `CASE t.kind WHEN 'localidad' THEN t.id WHEN 'ucg' THEN t.localidad END`
      : `CASE t.kind WHEN '${grouping}' THEN t.id END`;
  return `SELECT (SELECT ${value} FROM territory t WHERE t.id = ${column}) AS key`;
}

const COMMITMENT_KEYS: Record<StatisticsGrouping, string> = {
  localidad: commitmentTerritoryKeys('c.localidades', 'localidad'),
  ucg: commitmentTerritoryKeys('c.comunas', 'ucg'),
  corregimiento: commitmentTerritoryKeys('c.corregimientos', 'corregimiento'),
  inclusion_group: `SELECT DISTINCT x AS key FROM unnest(${orNone('c.inclusion_groups')}) x`,
  agency: 'SELECT c.lead_agency_id AS key',
  status: 'SELECT c.status AS key',
};

const EVALUATION_KEYS: Record<StatisticsGrouping, string> = {
  localidad: territoryIdKey('e.territory', 'localidad'),
  ucg: territoryIdKey('e.territory', 'ucg'),
  corregimiento: territoryIdKey('e.territory', 'corregimiento'),
  inclusion_group: `SELECT DISTINCT x AS key FROM unnest(${orNone("coalesce(c.inclusion_groups, '{}')")}) x`,
  agency: 'SELECT coalesce(e.agency_id, c.lead_agency_id) AS key',
  status: 'SELECT c.status AS key',
};

const SPACE_COMMITMENTS = 'read.commitments cc WHERE cc.id = ANY(d.commitment_ids)';
const DIALOGUE_KEYS: Record<StatisticsGrouping, string> = {
  localidad: territoryIdKey('d.territory_id', 'localidad'),
  ucg: territoryIdKey('d.territory_id', 'ucg'),
  corregimiento: territoryIdKey('d.territory_id', 'corregimiento'),
  inclusion_group: `SELECT x AS key FROM unnest(${orNone(
    `ARRAY(SELECT DISTINCT g FROM ${SPACE_COMMITMENTS.replace(' WHERE', ', unnest(cc.inclusion_groups) g WHERE')})`,
  )}) x`,
  agency: 'SELECT d.agency_id AS key',
  status: `SELECT x AS key FROM unnest(${orNone(
    `ARRAY(SELECT DISTINCT cc.status FROM ${SPACE_COMMITMENTS})`,
  )}) x`,
};

// Every query names the same parameters: the territories as four arrays ($1-$4), today ($5),
// then the filter's. `today` types $5 for the queries that do not compare dates.
const TERRITORY_CTE = `territory AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, kind, name, localidad)
), today AS (SELECT $5::date AS day)`;

// The last day a planned date (`YYYY-MM` or `YYYY-MM-DD`) covers.
const MILESTONE_END = `(CASE WHEN length(m.planned_end) = 7
  THEN (to_date(m.planned_end || '-01', 'YYYY-MM-DD') + interval '1 month' - interval '1 day')::date
  ELSE m.planned_end::date END)`;

function thingAggregates(
  alias: string,
  statuses: readonly string[],
  end: string,
  open: readonly string[],
): string {
  const done = `(${alias}.completed_at AT TIME ZONE '${ZONE}')::date`;
  return [
    `count(*)::int AS total`,
    ...statuses.map(
      (status) => `count(*) FILTER (WHERE ${alias}.status = '${status}')::int AS "s_${status}"`,
    ),
    `count(*) FILTER (WHERE ${alias}.status = 'completed' AND ${done} <= ${end})::int AS on_time`,
    `count(*) FILTER (WHERE ${alias}.status = 'completed' AND ${done} > ${end})::int AS late`,
    `count(*) FILTER (WHERE ${alias}.status IN (${open.map((s) => `'${s}'`).join(', ')}) AND ${end} < $5::date)::int AS overdue`,
  ].join(',\n    ');
}

interface Raw {
  key: string | null;
  [column: string]: unknown;
}

function thingCounts(row: Raw | undefined, statuses: readonly string[]): ThingCounts {
  const number = (column: string) => Number(row?.[column] ?? 0);
  return {
    total: number('total'),
    byStatus: statuses.map((status): StatusCount => ({ status, count: number(`s_${status}`) })),
    completedOnTime: number('on_time'),
    completedLate: number('late'),
    overdue: number('overdue'),
  };
}

function evaluationAggregate(row: Raw | undefined): EvaluationAggregate {
  const number = (column: string) => Number(row?.[column] ?? 0);
  const median = row?.median_days;
  return {
    count: number('total'),
    clarity: { count: number('clarity_n'), sum: number('clarity_sum') },
    progress: { count: number('progress_n'), sum: number('progress_sum') },
    dialogueUsefulness: { count: number('usefulness_n'), sum: number('usefulness_sum') },
    answered: number('answered'),
    medianDaysToAnswer: median === null || median === undefined ? null : Number(median),
  };
}

function dialogueAggregate(row: Raw | undefined): DialogueAggregate {
  const number = (column: string) => Number(row?.[column] ?? 0);
  return {
    total: number('total'),
    byStatus: DIALOGUE_SPACE_STATUSES.map((status) => ({
      status,
      count: number(`s_${status}`),
    })),
    withAttendance: number('with_attendance'),
    attendees: number('attendees'),
  };
}

function aggregateOf(
  aggregates: Map<string | null, GroupAggregate>,
  key: string | null,
): GroupAggregate {
  const aggregate = aggregates.get(key);
  if (aggregate === undefined) throw new Error(`statistics: no group ${String(key)}`);
  return aggregate;
}

/**
 * The statistics read side: aggregates over the commitments, evaluations and dialogue spaces
 * read models, one query per source, grouped in PostgreSQL. Suppression is not done here
 * (see `tabulate`): these are the raw counts.
 */
export class StatisticsQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every group's aggregates and the total's. Groups are ordered by key, the group with no
   * key last.
   * @param today Bogotá's calendar day, `YYYY-MM-DD`: what "overdue" is measured against
   */
  async table(
    grouping: StatisticsGrouping,
    filter: StatisticsFilter,
    today: string,
  ): Promise<{ groups: GroupAggregate[]; total: GroupAggregate }> {
    const [grouped, total, agencies] = await Promise.all([
      this.aggregates(grouping, filter, today),
      this.aggregates(undefined, filter, today),
      grouping === 'agency' ? this.agencyNames() : Promise.resolve(new Map<string, string>()),
    ]);
    const label = (key: string | null): string | null => {
      if (key === null) return null;
      if (grouping === 'agency') return agencies.get(key) ?? key;
      if (grouping === 'localidad' || grouping === 'ucg' || grouping === 'corregimiento') {
        return TERRITORIES.find((territory) => territory.id === key)?.name ?? key;
      }
      return key;
    };
    const keys = [...grouped.keys()].sort((a, b) =>
      a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0,
    );
    return {
      groups: keys.map((key) => ({ ...aggregateOf(grouped, key), label: label(key) })),
      total: aggregateOf(total, null),
    };
  }

  /** Aggregates per key; `grouping` undefined gives one group, the whole table, under null. */
  private async aggregates(
    grouping: StatisticsGrouping | undefined,
    filter: StatisticsFilter,
    today: string,
  ): Promise<Map<string | null, GroupAggregate>> {
    const params: unknown[] = [
      TERRITORIES.map((t) => t.id),
      TERRITORIES.map((t) => t.kind),
      TERRITORIES.map((t) => t.name),
      TERRITORIES.map((t) => t.localidad ?? null),
      today,
    ];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const commitmentWhere: string[] = [];
    const evaluationWhere: string[] = [`e.moderation_state = 'visible'`];
    const dialogueWhere: string[] = [];
    if (filter.actionPlanId !== undefined) {
      const plan = param(filter.actionPlanId);
      commitmentWhere.push(`c.action_plan_id = ${plan}`);
      evaluationWhere.push(`c.action_plan_id = ${plan}`);
      dialogueWhere.push(
        `EXISTS (SELECT 1 FROM ${SPACE_COMMITMENTS} AND cc.action_plan_id = ${plan})`,
      );
    }
    if (filter.agencyId !== undefined) {
      const agency = param(filter.agencyId);
      commitmentWhere.push(`c.lead_agency_id = ${agency}`);
      evaluationWhere.push(`coalesce(e.agency_id, c.lead_agency_id) = ${agency}`);
      dialogueWhere.push(`d.agency_id = ${agency}`);
    }
    const where = (clauses: string[]) =>
      clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    const keys = (table: Record<StatisticsGrouping, string>) =>
      grouping === undefined ? 'SELECT NULL::text AS key' : table[grouping];

    const commitmentsSql = `WITH ${TERRITORY_CTE}
      SELECT k.key, ${thingAggregates('c', COMMITMENT_STATUSES, 'c.end_date', ['draft', 'published', 'in_progress'])}
      FROM read.commitments c CROSS JOIN LATERAL (${keys(COMMITMENT_KEYS)}) k
      ${where(commitmentWhere)} GROUP BY k.key`;
    const milestonesSql = `WITH ${TERRITORY_CTE}
      SELECT k.key, ${thingAggregates('m', MILESTONE_STATUSES, MILESTONE_END, ['scheduled', 'in_progress', 'delayed'])}
      FROM read.milestones m JOIN read.commitments c ON c.id = m.commitment_id
      CROSS JOIN LATERAL (${keys(COMMITMENT_KEYS)}) k
      ${where(commitmentWhere)} GROUP BY k.key`;
    const evaluationsSql = `WITH ${TERRITORY_CTE}
      SELECT k.key, count(*)::int AS total,
        count(e.clarity)::int AS clarity_n, coalesce(sum(e.clarity), 0)::int AS clarity_sum,
        count(e.progress)::int AS progress_n, coalesce(sum(e.progress), 0)::int AS progress_sum,
        count(e.dialogue_usefulness)::int AS usefulness_n,
        coalesce(sum(e.dialogue_usefulness), 0)::int AS usefulness_sum,
        count(e.answered_at)::int AS answered,
        percentile_cont(0.5) WITHIN GROUP (
          ORDER BY extract(epoch FROM e.answered_at - e.submitted_at) / 86400
        ) FILTER (WHERE e.answered_at IS NOT NULL) AS median_days
      FROM read.evaluations e LEFT JOIN read.commitments c ON c.id = e.commitment_id
      CROSS JOIN LATERAL (${keys(EVALUATION_KEYS)}) k
      ${where(evaluationWhere)} GROUP BY k.key`;
    const attendance = `(d.space -> 'attendance' ->> 'total')::int`;
    const dialogueSql = `WITH ${TERRITORY_CTE}
      SELECT k.key, count(*)::int AS total,
        ${DIALOGUE_SPACE_STATUSES.map((s) => `count(*) FILTER (WHERE d.status = '${s}')::int AS "s_${s}"`).join(', ')},
        count(*) FILTER (WHERE d.status = 'held' AND ${attendance} IS NOT NULL)::int AS with_attendance,
        coalesce(sum(${attendance}) FILTER (WHERE d.status = 'held'), 0)::int AS attendees
      FROM read.dialogue_spaces d CROSS JOIN LATERAL (${keys(DIALOGUE_KEYS)}) k
      ${where(dialogueWhere)} GROUP BY k.key`;

    const [commitments, milestones, evaluations, dialogue] = await Promise.all(
      [commitmentsSql, milestonesSql, evaluationsSql, dialogueSql].map(
        (sql) => this.dataSource.query(sql, params) as Promise<Raw[]>,
      ),
    );
    const byKey = (rows: Raw[]) => new Map(rows.map((row) => [row.key, row]));
    const sources = {
      commitments: byKey(commitments),
      milestones: byKey(milestones),
      evaluations: byKey(evaluations),
      dialogue: byKey(dialogue),
    };
    const allKeys = new Set<string | null>(
      grouping === undefined
        ? [null]
        : [
            ...sources.commitments.keys(),
            ...sources.milestones.keys(),
            ...sources.evaluations.keys(),
            ...sources.dialogue.keys(),
          ],
    );
    const result = new Map<string | null, GroupAggregate>();
    for (const key of allKeys) {
      result.set(key, {
        key,
        label: key,
        commitments: thingCounts(sources.commitments.get(key), COMMITMENT_STATUSES),
        milestones: thingCounts(sources.milestones.get(key), MILESTONE_STATUSES),
        evaluations: evaluationAggregate(sources.evaluations.get(key)),
        dialogue: dialogueAggregate(sources.dialogue.get(key)),
      });
    }
    return result;
  }

  /** Each agency's name as its most recently changed commitment states it. */
  private async agencyNames(): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (lead_agency_id) lead_agency_id AS id, lead_agency AS name
         FROM read.commitments ORDER BY lead_agency_id, last_position DESC`,
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}
