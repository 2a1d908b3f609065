import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Days from submission to first answer, in hundredths of a day (what is published). */
const HUNDREDTHS = (row: string) =>
  `round(extract(epoch FROM ${row}.answered_at - ${row}.submitted_at) / 864)::int`;

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
    await runner.query(`
      CREATE FUNCTION read.evaluation_statistics_add(e read.evaluations, sign integer)
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF e.moderation_state <> 'visible' THEN RETURN; END IF;
        INSERT INTO read.evaluation_statistics AS s VALUES (
          e.territory, ${HUNDREDTHS('e')}, sign,
          sign * (e.clarity IS NOT NULL)::int, sign * coalesce(e.clarity, 0),
          sign * (e.progress IS NOT NULL)::int, sign * coalesce(e.progress, 0),
          sign * (e.dialogue_usefulness IS NOT NULL)::int, sign * coalesce(e.dialogue_usefulness, 0),
          sign * (e.answered_at IS NOT NULL)::int)
        ON CONFLICT (territory, hundredths) DO UPDATE SET
          evaluations = s.evaluations + excluded.evaluations,
          clarity_n = s.clarity_n + excluded.clarity_n,
          clarity_sum = s.clarity_sum + excluded.clarity_sum,
          progress_n = s.progress_n + excluded.progress_n,
          progress_sum = s.progress_sum + excluded.progress_sum,
          usefulness_n = s.usefulness_n + excluded.usefulness_n,
          usefulness_sum = s.usefulness_sum + excluded.usefulness_sum,
          answered = s.answered + excluded.answered;
        -- A key no evaluation counts in any more is no group of the statistics.
        DELETE FROM read.evaluation_statistics s
         WHERE s.territory = e.territory
           AND s.hundredths IS NOT DISTINCT FROM ${HUNDREDTHS('e')}
           AND s.evaluations = 0;
      END $$`);
    await runner.query(`
      CREATE FUNCTION read.evaluation_statistics_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM read.evaluation_statistics_add(OLD, -1); END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM read.evaluation_statistics_add(NEW, 1); END IF;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE FUNCTION read.evaluation_statistics_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE read.evaluation_statistics;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE TRIGGER evaluation_statistics_row AFTER INSERT OR UPDATE OR DELETE
        ON read.evaluations FOR EACH ROW EXECUTE FUNCTION read.evaluation_statistics_row()`);
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
    await runner.query('DROP TRIGGER evaluation_statistics_truncate ON read.evaluations');
    await runner.query('DROP TRIGGER evaluation_statistics_row ON read.evaluations');
    await runner.query('DROP FUNCTION read.evaluation_statistics_truncate()');
    await runner.query('DROP FUNCTION read.evaluation_statistics_row()');
    await runner.query('DROP FUNCTION read.evaluation_statistics_add(read.evaluations, integer)');
    await runner.query('DROP TABLE read.evaluation_statistics');
  }
}
