import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Days from submission to first answer, in hundredths of a day (what is published). */
const HUNDREDTHS = (row: string) =>
  `round(extract(epoch FROM ${row}.answered_at - ${row}.submitted_at) / 864)::int`;

/** The signed sums per key of `rows` (evaluations, each with a `sign`): what they change. */
const DELTA = (rows: string) => `
  SELECT e.territory, ${HUNDREDTHS('e')} AS hundredths, sum(e.sign)::int AS evaluations,
    sum(e.sign * (e.clarity IS NOT NULL)::int)::int AS clarity_n,
    coalesce(sum(e.sign * e.clarity), 0)::int AS clarity_sum,
    sum(e.sign * (e.progress IS NOT NULL)::int)::int AS progress_n,
    coalesce(sum(e.sign * e.progress), 0)::int AS progress_sum,
    sum(e.sign * (e.dialogue_usefulness IS NOT NULL)::int)::int AS usefulness_n,
    coalesce(sum(e.sign * e.dialogue_usefulness), 0)::int AS usefulness_sum,
    sum(e.sign * (e.answered_at IS NOT NULL)::int)::int AS answered
  FROM (${rows}) e WHERE e.moderation_state = 'visible'
  GROUP BY 1, 2`;

/** Adds `delta`'s rows to the kept sums (a key whose count falls to 0 stays, counting none). */
const UPSERT = (delta: string) => `
  INSERT INTO read.evaluation_statistics AS s ${delta}
  ON CONFLICT (territory, hundredths) DO UPDATE SET
    evaluations = s.evaluations + excluded.evaluations,
    clarity_n = s.clarity_n + excluded.clarity_n,
    clarity_sum = s.clarity_sum + excluded.clarity_sum,
    progress_n = s.progress_n + excluded.progress_n,
    progress_sum = s.progress_sum + excluded.progress_sum,
    usefulness_n = s.usefulness_n + excluded.usefulness_n,
    usefulness_sum = s.usefulness_sum + excluded.usefulness_sum,
    answered = s.answered + excluded.answered`;

/**
 * The visible evaluations counted per territory (as the evaluation states it) and days to
 * answer: the statistics' figures for a whole table or by territory read these few rows
 * instead of every evaluation. Kept by triggers on read.evaluations in the same transaction
 * as the projection's writes (insert, hide, restore, answer, rebuild's TRUNCATE), so it
 * never lags or differs from the table it sums.
 */
export class EvaluationStatistics1798000000100 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.evaluation_statistics (
        territory text NOT NULL,
        hundredths integer,
        evaluations integer NOT NULL,
        clarity_n integer NOT NULL,
        clarity_sum integer NOT NULL,
        progress_n integer NOT NULL,
        progress_sum integer NOT NULL,
        usefulness_n integer NOT NULL,
        usefulness_sum integer NOT NULL,
        answered integer NOT NULL
      )`);
    await runner.query(`
      CREATE UNIQUE INDEX evaluation_statistics_key
        ON read.evaluation_statistics (territory, hundredths) NULLS NOT DISTINCT`);
    // Statement triggers with transition tables: one upsert per key a statement touches, so a
    // batch (or a rebuild) of many evaluations costs a few rows' work, not one per evaluation.
    await runner.query(`
      CREATE FUNCTION read.evaluation_statistics_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${UPSERT(DELTA('SELECT *, 1 AS sign FROM new_rows'))};
        ELSIF TG_OP = 'UPDATE' THEN
          ${UPSERT(DELTA('SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 FROM old_rows'))};
        ELSE
          ${UPSERT(DELTA('SELECT *, -1 AS sign FROM old_rows'))};
        END IF;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE FUNCTION read.evaluation_statistics_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE read.evaluation_statistics;
        RETURN NULL;
      END $$`);
    // A trigger with transition tables names one event, hence three.
    await runner.query(`
      CREATE TRIGGER evaluation_statistics_insert AFTER INSERT ON read.evaluations
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION read.evaluation_statistics_apply()`);
    await runner.query(`
      CREATE TRIGGER evaluation_statistics_update AFTER UPDATE ON read.evaluations
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION read.evaluation_statistics_apply()`);
    await runner.query(`
      CREATE TRIGGER evaluation_statistics_delete AFTER DELETE ON read.evaluations
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION read.evaluation_statistics_apply()`);
    await runner.query(`
      CREATE TRIGGER evaluation_statistics_truncate AFTER TRUNCATE
        ON read.evaluations FOR EACH STATEMENT EXECUTE FUNCTION read.evaluation_statistics_truncate()`);
    await runner.query(`
      INSERT INTO read.evaluation_statistics
      SELECT e.territory, ${HUNDREDTHS('e')}, count(*),
        count(e.clarity), coalesce(sum(e.clarity), 0),
        count(e.progress), coalesce(sum(e.progress), 0),
        count(e.dialogue_usefulness), coalesce(sum(e.dialogue_usefulness), 0),
        count(e.answered_at)
        FROM read.evaluations e WHERE e.moderation_state = 'visible'
       GROUP BY 1, 2`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const trigger of ['insert', 'update', 'delete', 'truncate']) {
      await runner.query(`DROP TRIGGER evaluation_statistics_${trigger} ON read.evaluations`);
    }
    await runner.query('DROP FUNCTION read.evaluation_statistics_truncate()');
    await runner.query('DROP FUNCTION read.evaluation_statistics_apply()');
    await runner.query('DROP TABLE read.evaluation_statistics');
  }
}
