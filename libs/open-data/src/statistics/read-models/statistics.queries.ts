import type { DataSource } from 'typeorm';
import { TERRITORIES } from '#participation';
import {
  medianOf,
  type DialogueAggregate,
  type EvaluationAggregate,
  type GroupAggregate,
  type HistogramBin,
  type RatingSum,
  type StatisticsGrouping,
  type StatusCount,
  type ThingCounts,
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

// A list with one null in place of an empty one, so a row that states none of a kind still
// counts, in the group with no key.
const orNone = (array: string) =>
  `(CASE WHEN cardinality(${array}) = 0 THEN ARRAY[NULL]::text[] ELSE ${array} END)`;

// Every query names the same parameters: the territories as four arrays ($1-$4), today ($5),
// then the filter's. `territory` holds each territory under its id and its lower-case name
// (`alias`), so lookups are equality joins; `today` types $5 where no date is compared.
const TERRITORY_CTE = `territory AS (
  SELECT DISTINCT alias, t.id, t.kind, t.localidad
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, kind, name, localidad),
         unnest(ARRAY[t.id, lower(t.name)]) AS alias
), today AS (SELECT $5::date AS day)`;

/** The commitment's territories of one kind, by the jurisdiction's id when a name matches. */
function commitmentTerritoryKeys(column: string, kind: string): string {
  return `SELECT DISTINCT c.id, coalesce(t.id, x) AS key
    FROM read.commitments c CROSS JOIN LATERAL unnest(${orNone(`c.${column}`)}) x
    LEFT JOIN territory t ON t.alias = lower(x) AND t.kind = '${kind}'`;
}

/** Each commitment's groups, `(id, key)`, one row per group it counts in. */
const COMMITMENT_KEYS: Record<StatisticsGrouping, string> = {
  localidad: commitmentTerritoryKeys('localidades', 'localidad'),
  ucg: commitmentTerritoryKeys('comunas', 'ucg'),
  corregimiento: commitmentTerritoryKeys('corregimientos', 'corregimiento'),
  inclusion_group: `SELECT DISTINCT c.id, x AS key
    FROM read.commitments c CROSS JOIN LATERAL unnest(${orNone('c.inclusion_groups')}) x`,
  agency: 'SELECT c.id, c.lead_agency_id AS key FROM read.commitments c',
  status: 'SELECT c.id, c.status AS key FROM read.commitments c',
};

/** A territory id's group, from the row `t` of `territory` it joins: a UCG counts in its localidad. */
function territoryKey(grouping: StatisticsGrouping): string | undefined {
  if (grouping === 'localidad') {
    return `CASE t.kind WHEN 'localidad' THEN t.id WHEN 'ucg' THEN t.localidad END`;
  }
  if (grouping === 'ucg' || grouping === 'corregimiento') {
    return `CASE t.kind WHEN '${grouping}' THEN t.id END`;
  }
  return undefined;
}

/**
 * The counted commitments or milestones (`table`: read.commitment_statistics or
 * read.milestone_statistics), as `s`, each row with a group its commitments count in as
 * `k.key`: one row per group, as `COMMITMENT_KEYS` gives them for each commitment. Groups
 * from a list (territories, inclusion groups) are worked out once per distinct list.
 */
function countedRows(
  table: string,
  grouping: StatisticsGrouping | undefined,
  commitmentStatus: string,
): string {
  const byList = (column: string, keys: string) =>
    `${table} s JOIN (
        SELECT a.list, k.key FROM (SELECT DISTINCT ${column} AS list FROM ${table}) a
          CROSS JOIN LATERAL (${keys}) k
      ) k ON k.list = s.${column}`;
  const territory = (column: string, kind: string) =>
    byList(
      column,
      `SELECT DISTINCT coalesce(t.id, x) AS key FROM unnest(${orNone('a.list')}) x
         LEFT JOIN territory t ON t.alias = lower(x) AND t.kind = '${kind}'`,
    );
  const single = (key: string) => `${table} s CROSS JOIN LATERAL (SELECT ${key} AS key) k`;
  switch (grouping) {
    case undefined:
      return single('NULL::text');
    case 'localidad':
      return territory('localidades', 'localidad');
    case 'ucg':
      return territory('comunas', 'ucg');
    case 'corregimiento':
      return territory('corregimientos', 'corregimiento');
    case 'inclusion_group':
      return byList(
        'inclusion_groups',
        `SELECT DISTINCT x AS key FROM unnest(${orNone('a.list')}) x`,
      );
    case 'agency':
      return single('s.lead_agency_id');
    case 'status':
      return single(`s.${commitmentStatus}`);
  }
}

// The counted rows keep completions (Bogotá's calendar day; Colombia keeps UTC-5 all year)
// on or before the end date (`on_time`) and after it (`late`) whatever the status; "overdue"
// is measured against today ($5, Bogotá's day), so it is counted here from the end dates.
// Milestones end on a month (`YYYY-MM`) or a day: the same-length prefix of today's
// `YYYY-MM-DD` compares with it as text.
const MILESTONE_OVERDUE = `left($5::text, length(s.planned_end)) > s.planned_end`;
const COMMITMENT_OVERDUE = `s.end_date < $5::date`;

/** Sums of the counted rows `s`, whose count column is `count`, as `thingCounts` reads them. */
function thingAggregates(
  count: string,
  statuses: readonly string[],
  overdue: string,
  open: readonly string[],
): string {
  const sum = (column: string, where?: string) =>
    `coalesce(sum(s.${column})${where === undefined ? '' : ` FILTER (WHERE ${where})`}, 0)::int`;
  return [
    `${sum(count)} AS total`,
    ...statuses.map((status) => `${sum(count, `s.status = '${status}'`)} AS "s_${status}"`),
    `${sum('on_time', `s.status = 'completed'`)} AS on_time`,
    `${sum('late', `s.status = 'completed'`)} AS late`,
    `${sum(count, `s.status IN (${open.map((s) => `'${s}'`).join(', ')}) AND ${overdue}`)} AS overdue`,
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

/**
 * Evaluations' sums, as the query returns them per key, and the middle days to answer: the
 * two middle values (the same one when the count is odd) as bins of one, whose mean
 * `medianOf` takes.
 */
interface EvaluationSums {
  count: number;
  clarity: RatingSum;
  progress: RatingSum;
  dialogueUsefulness: RatingSum;
  answered: number;
  answerDays: HistogramBin[];
}

const NO_EVALUATIONS = (): EvaluationSums => ({
  count: 0,
  clarity: { count: 0, sum: 0 },
  progress: { count: 0, sum: 0 },
  dialogueUsefulness: { count: 0, sum: 0 },
  answered: 0,
  answerDays: [],
});

/** One row of the evaluations query (one key, or the whole table) as sums. */
function evaluationSumsOf(row: Raw): EvaluationSums {
  const sums = NO_EVALUATIONS();
  const number = (column: string) => Number(row[column] ?? 0);
  sums.count += number('total');
  sums.clarity.count += number('clarity_n');
  sums.clarity.sum += number('clarity_sum');
  sums.progress.count += number('progress_n');
  sums.progress.sum += number('progress_sum');
  sums.dialogueUsefulness.count += number('usefulness_n');
  sums.dialogueUsefulness.sum += number('usefulness_sum');
  sums.answered += number('answered');
  if (row.lo !== null && row.lo !== undefined) {
    sums.answerDays.push(
      { value: number('lo') / 100, count: 1 },
      { value: number('hi') / 100, count: 1 },
    );
  }
  return sums;
}

function evaluationAggregate(sums: EvaluationSums | undefined): EvaluationAggregate {
  const { answerDays, ...counts } = sums ?? NO_EVALUATIONS();
  return { ...counts, medianDaysToAnswer: medianOf(answerDays) };
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
 * read models, one query per source, grouped in PostgreSQL. Commitments and milestones are
 * read from their counted rows (read.commitment_statistics, read.milestone_statistics),
 * spaces and evaluations too where a table needs nothing those rows do not keep. Suppression
 * is not done here (see `tabulate`): these are the raw counts.
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
    // Every evaluation falls in exactly one group, except by inclusion group (a commitment
    // may be aimed at several): then the total's are summed from the groups' rows.
    const partitions = grouping !== 'inclusion_group';
    const [grouped, total, agencies] = await Promise.all([
      this.aggregates(grouping, filter, today),
      this.aggregates(undefined, filter, today, { evaluations: !partitions }),
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
    const keys = [...grouped.aggregates.keys()].sort((a, b) =>
      a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0,
    );
    const whole = aggregateOf(total.aggregates, null);
    return {
      groups: keys.map((key) => ({ ...aggregateOf(grouped.aggregates, key), label: label(key) })),
      total: partitions
        ? { ...whole, evaluations: evaluationAggregate(grouped.allEvaluations) }
        : whole,
    };
  }

  /**
   * Aggregates per key; `grouping` undefined gives one group, the whole table, under null.
   * `allEvaluations` are the evaluations of every key together. With
   * `evaluations: false`, evaluations are not read (every group shows none).
   */
  private async aggregates(
    grouping: StatisticsGrouping | undefined,
    filter: StatisticsFilter,
    today: string,
    options: { evaluations: boolean } = { evaluations: true },
  ): Promise<{
    aggregates: Map<string | null, GroupAggregate>;
    allEvaluations: EvaluationSums;
  }> {
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
    // The counted commitments and milestones (`s`) name their commitments' plan and agency.
    const countedWhere: string[] = [];
    const evaluationWhere: string[] = [`e.moderation_state = 'visible'`];
    const dialogueWhere: string[] = [];
    if (filter.actionPlanId !== undefined) {
      const plan = param(filter.actionPlanId);
      countedWhere.push(`s.action_plan_id = ${plan}`);
      evaluationWhere.push(`c.action_plan_id = ${plan}`);
      dialogueWhere.push(
        `EXISTS (SELECT 1 FROM read.commitments cc
                  WHERE cc.id = ANY(d.commitment_ids) AND cc.action_plan_id = ${plan})`,
      );
    }
    if (filter.agencyId !== undefined) {
      const agency = param(filter.agencyId);
      countedWhere.push(`s.lead_agency_id = ${agency}`);
      evaluationWhere.push(`coalesce(e.agency_id, c.lead_agency_id) = ${agency}`);
      dialogueWhere.push(`d.agency_id = ${agency}`);
    }
    const where = (clauses: string[]) =>
      clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    // Each commitment's groups (`keyed`); then each source's rows find theirs by equality
    // joins, so PostgreSQL hashes them rather than looking each row's up.
    const keyed = `keyed AS (${
      grouping === undefined
        ? 'SELECT c.id, NULL::text AS key FROM read.commitments c'
        : COMMITMENT_KEYS[grouping]
    })`;
    const byTerritory = grouping === undefined ? undefined : territoryKey(grouping);
    const evaluationKey =
      grouping === undefined
        ? 'NULL::text'
        : (byTerritory ??
          (grouping === 'agency' ? 'coalesce(e.agency_id, c.lead_agency_id)' : 'k.key'));
    // Evaluations need their commitment only for a filter, the agency when they name none,
    // or the commitment's groups.
    const needsCommitment =
      filter.actionPlanId !== undefined ||
      filter.agencyId !== undefined ||
      (grouping !== undefined && byTerritory === undefined);
    const evaluationFrom = [
      needsCommitment ? 'LEFT JOIN read.commitments c ON c.id = e.commitment_id' : '',
      byTerritory !== undefined ? 'LEFT JOIN territory t ON t.alias = e.territory' : '',
      grouping === 'inclusion_group' || grouping === 'status'
        ? 'LEFT JOIN keyed k ON k.id = e.commitment_id'
        : '',
    ].join('\n      ');
    // Each space's group: from its own columns (`spaceKey`, over `d` and `territory t`), or
    // from the commitments it concerns.
    const spaceKey =
      grouping === undefined
        ? 'NULL::text'
        : (byTerritory ?? (grouping === 'agency' ? 'd.agency_id' : undefined));
    const dialogueKeys =
      spaceKey !== undefined
        ? `SELECT d.id, ${spaceKey} AS key FROM read.dialogue_spaces d
             ${byTerritory !== undefined ? 'LEFT JOIN territory t ON t.alias = d.territory_id' : ''}`
        : // The groups of the commitments it concerns; none of them keyed: the null group.
          `SELECT d.id, k.key FROM read.dialogue_spaces d
             LEFT JOIN LATERAL (
               SELECT DISTINCT k.key FROM unnest(d.commitment_ids) cid
                 JOIN keyed k ON k.id = cid
             ) k ON true`;

    // Commitments and milestones from their counted rows, each row in the groups of the
    // commitments it counts; a row whose counts have all gone counts in no group.
    const commitmentsSql = `WITH ${TERRITORY_CTE}
      SELECT k.key, ${thingAggregates('commitments', COMMITMENT_STATUSES, COMMITMENT_OVERDUE, ['draft', 'published', 'in_progress'])}
      FROM ${countedRows('read.commitment_statistics', grouping, 'status')}
      ${where(['s.commitments > 0', ...countedWhere])} GROUP BY k.key`;
    // Milestones whose commitment is not in the read model (a null profile) count only in
    // the whole table, unfiltered.
    const milestonesSql = `WITH ${TERRITORY_CTE}
      SELECT k.key, ${thingAggregates('milestones', MILESTONE_STATUSES, MILESTONE_OVERDUE, ['scheduled', 'in_progress', 'delayed'])}
      FROM ${countedRows('read.milestone_statistics', grouping, 'commitment_status')}
      ${where([
        's.milestones > 0',
        ...(grouping === undefined && countedWhere.length === 0
          ? []
          : ['s.commitment_status IS NOT NULL']),
        ...countedWhere,
      ])} GROUP BY k.key`;
    // One pass over the evaluations, counted per key and per days to answer (in hundredths
    // of a day, what is published): the median comes from these counts, cheaper than
    // sorting every answer.
    // Unfiltered, for the whole table or by territory, the evaluations' only key is their own
    // territory: the pre-aggregated rows (read.evaluation_statistics) give the same sums.
    const evaluationRows = !needsCommitment
      ? `SELECT ${evaluationKey} AS key, e.hundredths,
        sum(e.evaluations)::int AS total,
        sum(e.clarity_n)::int AS clarity_n, sum(e.clarity_sum)::int AS clarity_sum,
        sum(e.progress_n)::int AS progress_n, sum(e.progress_sum)::int AS progress_sum,
        sum(e.usefulness_n)::int AS usefulness_n, sum(e.usefulness_sum)::int AS usefulness_sum,
        sum(e.answered)::int AS answered
      FROM read.evaluation_statistics e
      ${byTerritory !== undefined ? 'LEFT JOIN territory t ON t.alias = e.territory' : ''}
      WHERE e.evaluations > 0 GROUP BY 1, 2`
      : `SELECT ${evaluationKey} AS key,
        round(extract(epoch FROM e.answered_at - e.submitted_at) / 864)::int AS hundredths,
        count(*)::int AS total,
        count(e.clarity)::int AS clarity_n, coalesce(sum(e.clarity), 0)::int AS clarity_sum,
        count(e.progress)::int AS progress_n, coalesce(sum(e.progress), 0)::int AS progress_sum,
        count(e.dialogue_usefulness)::int AS usefulness_n,
        coalesce(sum(e.dialogue_usefulness), 0)::int AS usefulness_sum,
        count(e.answered_at)::int AS answered
      FROM read.evaluations e ${evaluationFrom}
      ${where(evaluationWhere)} GROUP BY 1, 2`;
    // Those rows (one per key and days to answer) summed per key and for the whole table
    // (`whole`), each with its two middle days to answer (`lo`, `hi`: the values at ranks
    // floor((n - 1) / 2) and floor(n / 2) of the n answered, from 0), so a few rows come back
    // instead of one per key and value (6,400 by UCG at 300,000 evaluations).
    const evaluationSums = [
      'total',
      ...['clarity', 'progress', 'usefulness'].flatMap((r) => [`${r}_n`, `${r}_sum`]),
      'answered',
    ]
      .map((column) => `sum(g.${column})::bigint AS ${column}`)
      .join(', ');
    const evaluationsSql = `WITH ${TERRITORY_CTE}${needsCommitment ? `, ${keyed}` : ''},
      grouped AS (${evaluationRows}),
      bins AS (
        SELECT false AS whole, g.key, g.hundredths, g.answered::bigint AS n FROM grouped g
         WHERE g.hundredths IS NOT NULL
        UNION ALL
        SELECT true, NULL, g.hundredths, sum(g.answered)::bigint FROM grouped g
         WHERE g.hundredths IS NOT NULL GROUP BY g.hundredths
      ),
      ranked AS (
        SELECT b.whole, b.key, b.hundredths,
          (sum(b.n) OVER (PARTITION BY b.whole, b.key ORDER BY b.hundredths))::bigint AS upto,
          (sum(b.n) OVER (PARTITION BY b.whole, b.key))::bigint AS n
        FROM bins b WHERE b.n > 0
      ),
      middle AS (
        SELECT r.whole, r.key, min(r.hundredths) FILTER (WHERE r.upto > (r.n - 1) / 2) AS lo,
          min(r.hundredths) FILTER (WHERE r.upto > r.n / 2) AS hi
        FROM ranked r GROUP BY r.whole, r.key
      ),
      sums AS (
        SELECT false AS whole, g.key, ${evaluationSums} FROM grouped g GROUP BY g.key
        UNION ALL
        SELECT true, NULL, ${evaluationSums} FROM grouped g
      )
      SELECT s.*, m.lo, m.hi FROM sums s
        LEFT JOIN middle m ON m.whole = s.whole AND m.key IS NOT DISTINCT FROM s.key`;
    const attendance = `(d.space -> 'attendance' ->> 'total')::int`;
    const spaceStatus = (status: string) =>
      `count(*) FILTER (WHERE d.status = '${status}')::int AS "s_${status}"`;
    // The counted spaces (read.dialogue_space_statistics) hold their territory, agency and
    // status: enough for every table but those that need the commitments a space concerns.
    const countedKey = filter.actionPlanId === undefined ? spaceKey : undefined;
    const countedStatus = (status: string) =>
      `coalesce(sum(d.spaces) FILTER (WHERE d.status = '${status}'), 0)::int AS "s_${status}"`;
    const dialogueSql =
      countedKey !== undefined
        ? `WITH ${TERRITORY_CTE}
      SELECT ${countedKey} AS key, sum(d.spaces)::int AS total,
        ${DIALOGUE_SPACE_STATUSES.map(countedStatus).join(', ')},
        coalesce(sum(d.with_attendance) FILTER (WHERE d.status = 'held'), 0)::int AS with_attendance,
        coalesce(sum(d.attendees) FILTER (WHERE d.status = 'held'), 0)::int AS attendees
      FROM read.dialogue_space_statistics d
      ${byTerritory !== undefined ? 'LEFT JOIN territory t ON t.alias = d.territory_id' : ''}
      ${where(['d.spaces > 0', ...dialogueWhere])} GROUP BY 1`
        : `WITH ${TERRITORY_CTE}, ${keyed}, space_keys AS (${dialogueKeys})
      SELECT sk.key, count(*)::int AS total,
        ${DIALOGUE_SPACE_STATUSES.map(spaceStatus).join(', ')},
        count(*) FILTER (WHERE d.status = 'held' AND ${attendance} IS NOT NULL)::int AS with_attendance,
        coalesce(sum(${attendance}) FILTER (WHERE d.status = 'held'), 0)::int AS attendees
      FROM space_keys sk JOIN read.dialogue_spaces d ON d.id = sk.id
      ${where(dialogueWhere)} GROUP BY sk.key`;

    const run = (sql: string) => this.dataSource.query(sql, params) as Promise<Raw[]>;
    const [commitments, milestones, evaluations, dialogue] = await Promise.all([
      run(commitmentsSql),
      run(milestonesSql),
      options.evaluations ? run(evaluationsSql) : Promise.resolve([]),
      run(dialogueSql),
    ]);
    const byKey = (rows: Raw[]) => new Map(rows.map((row) => [row.key, row]));
    const evaluationSumsByKey = new Map<string | null, EvaluationSums>();
    let allEvaluations = NO_EVALUATIONS();
    for (const row of evaluations) {
      if (row.whole === true) allEvaluations = evaluationSumsOf(row);
      else evaluationSumsByKey.set(row.key, evaluationSumsOf(row));
    }
    const sources = {
      commitments: byKey(commitments),
      milestones: byKey(milestones),
      dialogue: byKey(dialogue),
    };
    const allKeys = new Set<string | null>(
      grouping === undefined
        ? [null]
        : [
            ...sources.commitments.keys(),
            ...sources.milestones.keys(),
            ...evaluationSumsByKey.keys(),
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
        evaluations: evaluationAggregate(evaluationSumsByKey.get(key)),
        dialogue: dialogueAggregate(sources.dialogue.get(key)),
      });
    }
    return { aggregates: result, allEvaluations };
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
