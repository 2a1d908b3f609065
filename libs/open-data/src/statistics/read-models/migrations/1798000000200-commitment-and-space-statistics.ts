import type { MigrationInterface, QueryRunner } from 'typeorm';

// A migration is frozen history: everything it creates is spelled out here, nothing imported.

/**
 * What a commitment is counted by: every column `statistics` groups or filters commitments
 * (and their milestones) by. Rows sharing all of them are counted together.
 */
const PROFILE = [
  'action_plan_id',
  'lead_agency_id',
  'status',
  'localidades',
  'comunas',
  'corregimientos',
  'inclusion_groups',
] as const;
/** The same columns as read.milestone_statistics names them (`status` is the milestone's). */
const MILESTONE_PROFILE = PROFILE.map((column) =>
  column === 'status' ? 'commitment_status' : column,
);

/** Completion is Bogotá's calendar day (Colombia keeps UTC-5 all year). */
const COMMITMENT_DONE = `(c.completed_at AT TIME ZONE 'America/Bogota')::date`;
// A milestone ends on a month (`YYYY-MM`) or a day: the same-length prefix of its completion
// day compares with it as text.
const MILESTONE_DONE = `left(to_char(m.completed_at AT TIME ZONE 'America/Bogota', 'YYYY-MM-DD'), length(m.planned_end))`;

/**
 * The signed counts per key of `rows` (each with a `sign`), leaving out keys whose counts all
 * cancel (a row rewritten without changing what it is counted by).
 */
function delta(
  alias: string,
  keys: readonly string[],
  counts: readonly [name: string, expression: string][],
  rows: string,
): string {
  const sums = counts.map(([name, expression]) => [name, `coalesce(${expression}, 0)`] as const);
  return `
  SELECT ${keys.map((key) => `${alias}.${key}`).join(', ')},
    ${sums.map(([name, sum]) => `${sum}::int AS ${name}`).join(',\n    ')}
  FROM (${rows}) ${alias}
  GROUP BY ${keys.map((_, i) => i + 1).join(', ')}
  HAVING ${sums.map(([, sum]) => `${sum} <> 0`).join(' OR ')}`;
}

/** Adds `rows` to `table`'s counts; a key whose counts fall to 0 stays until EMPTIED_KEYS. */
function upsert(table: string, keys: readonly string[], counts: readonly string[], rows: string) {
  return `
  INSERT INTO ${table} AS s ${rows}
  ON CONFLICT (${keys.join(', ')}) DO UPDATE SET
    ${counts.map((count) => `${count} = s.${count} + excluded.${count}`).join(',\n    ')}`;
}

/**
 * Deletes `table`'s keys that count nothing any more (a milestone moved on from a status, a
 * commitment from a profile), so the kept rows are those a rebuild from the log would write:
 * the read model's state does not depend on the way it came to it.
 */
const EMPTIED_KEYS = (table: string, counts: readonly string[]) =>
  `DELETE FROM ${table} WHERE ${counts.map((count) => `${count} = 0`).join(' AND ')}`;

const COMMITMENT_KEYS = [...PROFILE, 'end_date'];
const COMMITMENT_COUNTS = ['commitments', 'on_time', 'late'];
/** The commitment rows of `rows` (read.commitments rows with a `sign`), as counts to add. */
const COMMITMENT_DELTA = (rows: string) =>
  delta(
    'c',
    COMMITMENT_KEYS,
    [
      ['commitments', 'sum(c.sign)'],
      ['on_time', `sum(c.sign) FILTER (WHERE ${COMMITMENT_DONE} <= c.end_date)`],
      ['late', `sum(c.sign) FILTER (WHERE ${COMMITMENT_DONE} > c.end_date)`],
    ],
    rows,
  );
const ADD_COMMITMENTS = (rows: string) =>
  upsert('read.commitment_statistics', COMMITMENT_KEYS, COMMITMENT_COUNTS, COMMITMENT_DELTA(rows));

const MILESTONE_KEYS = [...MILESTONE_PROFILE, 'status', 'planned_end'];
const MILESTONE_COUNTS = ['milestones', 'on_time', 'late'];
/**
 * Milestones each under their commitment's profile: `rows` has the profile's columns (null
 * when the commitment is not in the read model), the milestone's status, planned end and
 * completion, and a `sign`.
 */
const MILESTONE_DELTA = (rows: string) =>
  delta(
    'm',
    MILESTONE_KEYS,
    [
      ['milestones', 'sum(m.sign)'],
      ['on_time', `sum(m.sign) FILTER (WHERE ${MILESTONE_DONE} <= m.planned_end)`],
      ['late', `sum(m.sign) FILTER (WHERE ${MILESTONE_DONE} > m.planned_end)`],
    ],
    rows,
  );
const ADD_MILESTONES = (rows: string) =>
  upsert('read.milestone_statistics', MILESTONE_KEYS, MILESTONE_COUNTS, MILESTONE_DELTA(rows));
/**
 * `milestones` (read.milestones rows with a `sign`), each under its commitment as it is now.
 * A statement's few milestones look theirs up one by one (the subquery's OFFSET 0 keeps
 * PostgreSQL from hashing every commitment instead); a count from scratch joins them all.
 */
const MILESTONES_UNDER_THEIR_COMMITMENT = (milestones: string, lookup: 'each' | 'all') => `
  SELECT ${PROFILE.map((column, i) => `c.${column} AS ${MILESTONE_PROFILE[i]}`).join(', ')},
    m.status, m.planned_end, m.completed_at, m.sign
  FROM (${milestones}) m ${
    lookup === 'all'
      ? 'LEFT JOIN read.commitments c ON c.id = m.commitment_id'
      : `LEFT JOIN LATERAL (
      SELECT ${PROFILE.join(', ')} FROM read.commitments c WHERE c.id = m.commitment_id OFFSET 0
    ) c ON true`
  }`;
/** A row constructor of `alias`'s profile: all null when the commitment is not there. */
const PROFILE_OF = (alias: string) => `ROW(${PROFILE.map((c) => `${alias}.${c}`).join(', ')})`;
/**
 * The milestones of the commitments named by `$1` (an array of ids), taken from the profile they had before the
 * statement (`before`'s row, none when the commitment is new) to the one after (`after`'s,
 * none when it is gone).
 */
const MILESTONES_MOVED = (after: string, before: string) => `
  SELECT p.*, m.status, m.planned_end, m.completed_at
  FROM read.milestones m
  LEFT JOIN (${before}) o ON o.id = m.commitment_id
  LEFT JOIN (${after}) n ON n.id = m.commitment_id
  CROSS JOIN LATERAL (VALUES
    (${PROFILE.map((c) => `o.${c}`).join(', ')}, -1),
    (${PROFILE.map((c) => `n.${c}`).join(', ')}, 1)
  ) p(${MILESTONE_PROFILE.join(', ')}, sign)
  WHERE m.commitment_id = ANY($1) AND ${PROFILE_OF('o')} IS DISTINCT FROM ${PROFILE_OF('n')}`;

const SPACE_KEYS = ['territory_id', 'agency_id', 'status'];
const SPACE_COUNTS = ['spaces', 'with_attendance', 'attendees'];
const ATTENDANCE = `(d.space -> 'attendance' ->> 'total')::int`;
const SPACE_DELTA = (rows: string) =>
  delta(
    'd',
    SPACE_KEYS,
    [
      ['spaces', 'sum(d.sign)'],
      ['with_attendance', `sum(d.sign) FILTER (WHERE ${ATTENDANCE} IS NOT NULL)`],
      ['attendees', `sum(d.sign * ${ATTENDANCE})`],
    ],
    rows,
  );
const ADD_SPACES = (rows: string) =>
  upsert('read.dialogue_space_statistics', SPACE_KEYS, SPACE_COUNTS, SPACE_DELTA(rows));

/** An empty relation with `relation`'s columns: the side a statement's trigger has none of. */
const NONE = (relation: string) => `SELECT * FROM ${relation} WHERE false`;
const NEW_ROWS = 'SELECT * FROM new_rows';
const OLD_ROWS = 'SELECT * FROM old_rows';
const SIGNED = (after: string, before: string) =>
  `SELECT *, 1 AS sign FROM (${after}) n UNION ALL SELECT *, -1 FROM (${before}) o`;

/**
 * An UPDATE's rows as `counted` (columns, or expressions with their name) reads them, after
 * (sign 1) and before (sign -1), less those it left as they were: `counted` includes the
 * table's key, so a row the statement did not change cancels out. Most updates (progress,
 * versions) change none: then nothing is looked up. Grouped rather than joined, so the cost
 * stays linear whatever plan the statement gets.
 */
function changedByUpdate(counted: readonly string[]): string {
  return `SELECT ${counted.join(', ')}, sum(x.sign)::int AS sign
    FROM (${SIGNED(NEW_ROWS, OLD_ROWS)}) x
    GROUP BY ${counted.map((_, i) => i + 1).join(', ')} HAVING sum(x.sign) <> 0`;
}

/**
 * A statement run with EXECUTE: planned each time for the transition tables' actual size.
 * PL/pgSQL keeps a static statement's first plan, and a plan made for a one-row statement
 * (nested loops over the transition tables) took minutes on a batch of thousands of rows.
 */
const dynamic = (sql: string, tail = '') => `EXECUTE $sql$${sql}$sql$${tail}`;

/**
 * A trigger function adding a statement's rows to the kept counts: `apply(changed)` adds
 * `changed`, the rows after the statement (sign 1) and before it (sign -1); of an UPDATE's,
 * only those whose `counted` columns changed.
 */
function applyFunction(
  name: string,
  apply: (changed: string) => string,
  counted: readonly string[],
  emptied: string,
): string {
  return `
  CREATE FUNCTION read.${name}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${dynamic(apply(SIGNED(NEW_ROWS, NONE('new_rows'))))};
    ELSIF TG_OP = 'UPDATE' THEN
      ${dynamic(apply(changedByUpdate(counted)))};
    ELSE
      ${dynamic(apply(SIGNED(NONE('old_rows'), OLD_ROWS)))};
    END IF;
    ${emptied};
    RETURN NULL;
  END $$`;
}

/**
 * The commitments' trigger function: their counts, then their milestones' when a statement
 * changes what a commitment is counted by (or adds or removes commitments). Most statements
 * change only progress and version columns: then no milestone is read.
 */
const COMMITMENT_APPLY = `
  CREATE FUNCTION read.commitment_statistics_apply() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    moved text[];
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${dynamic(ADD_COMMITMENTS(SIGNED(NEW_ROWS, NONE('new_rows'))))};
      ${dynamic('SELECT array_agg(id) FROM new_rows', ' INTO moved')};
      IF moved IS NOT NULL THEN
        ${dynamic(ADD_MILESTONES(MILESTONES_MOVED(NEW_ROWS, NONE('new_rows'))), ' USING moved')};
      END IF;
    ELSIF TG_OP = 'UPDATE' THEN
      ${dynamic(ADD_COMMITMENTS(changedByUpdate(['id', ...PROFILE, 'end_date', 'completed_at'])))};
      ${dynamic(`SELECT array_agg(DISTINCT id) FROM (${changedByUpdate(['id', ...PROFILE])}) c`, ' INTO moved')};
      IF moved IS NOT NULL THEN
        ${dynamic(ADD_MILESTONES(MILESTONES_MOVED(NEW_ROWS, OLD_ROWS)), ' USING moved')};
      END IF;
    ELSE
      ${dynamic(ADD_COMMITMENTS(SIGNED(NONE('old_rows'), OLD_ROWS)))};
      ${dynamic('SELECT array_agg(id) FROM old_rows', ' INTO moved')};
      IF moved IS NOT NULL THEN
        ${dynamic(ADD_MILESTONES(MILESTONES_MOVED(NONE('old_rows'), OLD_ROWS)), ' USING moved')};
      END IF;
    END IF;
    ${EMPTIED_KEYS('read.commitment_statistics', COMMITMENT_COUNTS)};
    ${EMPTIED_KEYS('read.milestone_statistics', MILESTONE_COUNTS)};
    RETURN NULL;
  END $$`;

/**
 * Commitments, milestones and dialogue spaces counted by what `statistics` groups and filters
 * them by, so a table reads a few hundred rows instead of every commitment and milestone:
 *
 * - read.commitment_statistics: commitments per profile (plan, lead agency, status,
 *   territories, inclusion groups) and end date, with how many were completed on or before
 *   it and after it;
 * - read.milestone_statistics: milestones per their commitment's profile, status and planned
 *   end, with the same two counts; a milestone whose commitment is not in the read model
 *   counts under a null profile;
 * - read.dialogue_space_statistics: spaces per territory, agency and status, with how many
 *   recorded attendance and the attendees.
 *
 * As read.evaluation_statistics, they are kept by statement triggers with transition tables
 * on the tables they count, in the same transaction as the projections' writes, so they never
 * lag or differ from them; a change of a commitment's profile moves its milestones' counts. A
 * TRUNCATE (a rebuild's reset) empties them (milestones left without their commitments count
 * under no commitment). The counts of the rows already there are taken
 * here.
 */
export class CommitmentAndSpaceStatistics1798000000200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.commitment_statistics (
        action_plan_id text NOT NULL,
        lead_agency_id text NOT NULL,
        status text NOT NULL,
        localidades text[] NOT NULL,
        comunas text[] NOT NULL,
        corregimientos text[] NOT NULL,
        inclusion_groups text[] NOT NULL,
        end_date date NOT NULL,
        commitments integer NOT NULL,
        on_time integer NOT NULL,
        late integer NOT NULL
      )`);
    await runner.query(`
      CREATE UNIQUE INDEX commitment_statistics_key
        ON read.commitment_statistics (${COMMITMENT_KEYS.join(', ')})`);
    await runner.query(`
      CREATE TABLE read.milestone_statistics (
        action_plan_id text,
        lead_agency_id text,
        commitment_status text,
        localidades text[],
        comunas text[],
        corregimientos text[],
        inclusion_groups text[],
        status text NOT NULL,
        planned_end text NOT NULL,
        milestones integer NOT NULL,
        on_time integer NOT NULL,
        late integer NOT NULL
      )`);
    await runner.query(`
      CREATE UNIQUE INDEX milestone_statistics_key
        ON read.milestone_statistics (${MILESTONE_KEYS.join(', ')}) NULLS NOT DISTINCT`);
    await runner.query(`
      CREATE TABLE read.dialogue_space_statistics (
        territory_id text,
        agency_id text NOT NULL,
        status text NOT NULL,
        spaces integer NOT NULL,
        with_attendance integer NOT NULL,
        attendees integer NOT NULL
      )`);
    await runner.query(`
      CREATE UNIQUE INDEX dialogue_space_statistics_key
        ON read.dialogue_space_statistics (${SPACE_KEYS.join(', ')}) NULLS NOT DISTINCT`);
    // The keys a statement left counting nothing, found without reading the others.
    for (const [table, counts] of [
      ['commitment_statistics', COMMITMENT_COUNTS],
      ['milestone_statistics', MILESTONE_COUNTS],
      ['dialogue_space_statistics', SPACE_COUNTS],
    ] as const) {
      await runner.query(`
        CREATE INDEX ${table}_emptied ON read.${table} ((true))
          WHERE ${counts.map((count) => `${count} = 0`).join(' AND ')}`);
    }

    // A TRUNCATE leaves nothing to count, but for milestones whose commitments are gone: those
    // count under no commitment. Only the emptied tables' columns are named, so an earlier
    // migration run again (which may drop and add a table's columns) still empties them.
    const orphans = `SELECT ${PROFILE.map(
      (column, i) =>
        `NULL::${column.endsWith('s') && column !== 'status' ? 'text[]' : 'text'} AS ${MILESTONE_PROFILE[i]}`,
    ).join(', ')}, m.status, m.planned_end, m.completed_at, 1 AS sign FROM read.milestones m`;
    const emptied = [
      [
        'commitment_statistics',
        'read.commitment_statistics, read.milestone_statistics',
        ADD_MILESTONES(orphans),
      ],
      ['milestone_statistics', 'read.milestone_statistics', undefined],
      ['dialogue_space_statistics', 'read.dialogue_space_statistics', undefined],
    ] as const;
    for (const [name, tables, after] of emptied) {
      await runner.query(`
        CREATE FUNCTION read.${name}_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          TRUNCATE ${tables};${after === undefined ? '' : `\n          ${dynamic(after)};`}
          RETURN NULL;
        END $$`);
    }

    await runner.query(COMMITMENT_APPLY);
    await runner.query(
      applyFunction(
        'milestone_statistics_apply',
        (changed) => ADD_MILESTONES(MILESTONES_UNDER_THEIR_COMMITMENT(changed, 'each')),
        ['commitment_id', 'id', 'status', 'planned_end', 'completed_at'],
        EMPTIED_KEYS('read.milestone_statistics', MILESTONE_COUNTS),
      ),
    );
    await runner.query(
      applyFunction(
        'dialogue_space_statistics_apply',
        ADD_SPACES,
        [
          'id',
          ...SPACE_KEYS,
          // All the counts read of a space's document.
          `jsonb_build_object('attendance', x.space -> 'attendance') AS space`,
        ],
        EMPTIED_KEYS('read.dialogue_space_statistics', SPACE_COUNTS),
      ),
    );

    // A trigger with transition tables names one event, hence three per table, and a fourth
    // for TRUNCATE.
    const triggers = [
      ['commitments', 'commitment_statistics'],
      ['milestones', 'milestone_statistics'],
      ['dialogue_spaces', 'dialogue_space_statistics'],
    ] as const;
    for (const [table, statistics] of triggers) {
      await runner.query(`
        CREATE TRIGGER ${statistics}_insert AFTER INSERT ON read.${table}
          REFERENCING NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION read.${statistics}_apply()`);
      await runner.query(`
        CREATE TRIGGER ${statistics}_update AFTER UPDATE ON read.${table}
          REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION read.${statistics}_apply()`);
      await runner.query(`
        CREATE TRIGGER ${statistics}_delete AFTER DELETE ON read.${table}
          REFERENCING OLD TABLE AS old_rows
          FOR EACH STATEMENT EXECUTE FUNCTION read.${statistics}_apply()`);
      await runner.query(`
        CREATE TRIGGER ${statistics}_truncate AFTER TRUNCATE ON read.${table}
          FOR EACH STATEMENT EXECUTE FUNCTION read.${statistics}_emptied()`);
    }

    await runner.query(`
      INSERT INTO read.commitment_statistics
      ${COMMITMENT_DELTA('SELECT *, 1 AS sign FROM read.commitments')}`);
    await runner.query(`
      INSERT INTO read.milestone_statistics
      ${MILESTONE_DELTA(MILESTONES_UNDER_THEIR_COMMITMENT('SELECT *, 1 AS sign FROM read.milestones', 'all'))}`);
    await runner.query(`
      INSERT INTO read.dialogue_space_statistics
      ${SPACE_DELTA('SELECT *, 1 AS sign FROM read.dialogue_spaces')}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [table, statistics] of [
      ['commitments', 'commitment_statistics'],
      ['milestones', 'milestone_statistics'],
      ['dialogue_spaces', 'dialogue_space_statistics'],
    ]) {
      for (const trigger of ['insert', 'update', 'delete', 'truncate']) {
        await runner.query(`DROP TRIGGER ${statistics}_${trigger} ON read.${table}`);
      }
      await runner.query(`DROP FUNCTION read.${statistics}_apply()`);
      await runner.query(`DROP FUNCTION read.${statistics}_emptied()`);
    }
    await runner.query(
      'DROP TABLE read.commitment_statistics, read.milestone_statistics, read.dialogue_space_statistics',
    );
  }
}
