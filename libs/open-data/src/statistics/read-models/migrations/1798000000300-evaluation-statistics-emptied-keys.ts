import type { MigrationInterface, QueryRunner } from 'typeorm';

// A migration is frozen history: everything it creates is spelled out here, nothing imported.

/** Days from submission to first answer, in hundredths of a day (what is published). */
const HUNDREDTHS = (row: string) =>
  `round(extract(epoch FROM ${row}.answered_at - ${row}.submitted_at) / 864)::int`;

/** Each kept sum and the expression of it over rows with a `sign`. */
const SUMS = [
  ['evaluations', 'sum(e.sign)'],
  ['clarity_n', 'sum(e.sign * (e.clarity IS NOT NULL)::int)'],
  ['clarity_sum', 'coalesce(sum(e.sign * e.clarity), 0)'],
  ['progress_n', 'sum(e.sign * (e.progress IS NOT NULL)::int)'],
  ['progress_sum', 'coalesce(sum(e.sign * e.progress), 0)'],
  ['usefulness_n', 'sum(e.sign * (e.dialogue_usefulness IS NOT NULL)::int)'],
  ['usefulness_sum', 'coalesce(sum(e.sign * e.dialogue_usefulness), 0)'],
  ['answered', 'sum(e.sign * (e.answered_at IS NOT NULL)::int)'],
] as const;

/**
 * The signed sums per key of `rows` (evaluations, each with a `sign`); with `changedOnly`,
 * leaving out keys whose sums all cancel (an evaluation rewritten without changing what it
 * is counted by).
 */
const DELTA = (rows: string, changedOnly = true) => `
  SELECT e.territory, ${HUNDREDTHS('e')} AS hundredths,
    ${SUMS.map(([name, sum]) => `${sum}::int AS ${name}`).join(',\n    ')}
  FROM (${rows}) e WHERE e.moderation_state = 'visible'
  GROUP BY 1, 2${changedOnly ? `\n  HAVING ${SUMS.map(([, sum]) => `${sum} <> 0`).join(' OR ')}` : ''}`;

/** Adds `delta`'s rows to the kept sums. */
const UPSERT = (delta: string) => `
  INSERT INTO read.evaluation_statistics AS s ${delta}
  ON CONFLICT (territory, hundredths) DO UPDATE SET
    ${SUMS.map(([count]) => `${count} = s.${count} + excluded.${count}`).join(',\n    ')}`;

/**
 * A statement run with EXECUTE: planned each time for the transition tables' actual size.
 * PL/pgSQL keeps a static statement's first plan, which a one-row statement makes for nested
 * loops over the transition tables, and a rebuild's batch of thousands then pays for it.
 */
const dynamic = (sql: string) => `EXECUTE $sql$${sql}$sql$`;

/** Every sum of a key counts its visible evaluations, so a key counting none counts nothing. */
const EMPTIED = 'evaluations = 0';

/**
 * read.evaluation_statistics kept the keys its evaluations all left (an evaluation hidden,
 * or answered again so that its days to answer moved) as rows counting nothing, which a
 * rebuild from the log does not write: the read model's rows depended on the way it came to
 * them. Its trigger function now deletes the keys a statement left counting nothing (found by
 * a partial index, without reading the others) and runs its statements with EXECUTE, as the
 * commitment and space statistics do; the rows already left counting nothing are deleted here.
 */
export class EvaluationStatisticsEmptiedKeys1798000000300 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE INDEX evaluation_statistics_emptied ON read.evaluation_statistics ((true))
        WHERE ${EMPTIED}`);
    await runner.query(`
      CREATE OR REPLACE FUNCTION read.evaluation_statistics_apply() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${dynamic(UPSERT(DELTA('SELECT *, 1 AS sign FROM new_rows')))};
        ELSIF TG_OP = 'UPDATE' THEN
          ${dynamic(UPSERT(DELTA('SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 FROM old_rows')))};
        ELSE
          ${dynamic(UPSERT(DELTA('SELECT *, -1 AS sign FROM old_rows')))};
        END IF;
        DELETE FROM read.evaluation_statistics WHERE ${EMPTIED};
        RETURN NULL;
      END $$`);
    await runner.query(`DELETE FROM read.evaluation_statistics WHERE ${EMPTIED}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    // The function as 1798000000100 created it: keys counting nothing stay.
    await runner.query(`
      CREATE OR REPLACE FUNCTION read.evaluation_statistics_apply() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${UPSERT(DELTA('SELECT *, 1 AS sign FROM new_rows', false))};
        ELSIF TG_OP = 'UPDATE' THEN
          ${UPSERT(DELTA('SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 FROM old_rows', false))};
        ELSE
          ${UPSERT(DELTA('SELECT *, -1 AS sign FROM old_rows', false))};
        END IF;
        RETURN NULL;
      END $$`);
    await runner.query('DROP INDEX read.evaluation_statistics_emptied');
  }
}
