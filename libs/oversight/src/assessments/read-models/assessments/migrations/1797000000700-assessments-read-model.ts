import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The independent assessments read model: one row per assessment, the superseded ones kept
 * and marked with the assessment that replaced them.
 */
export class AssessmentsReadModel1797000000700 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.independent_assessments (
        assessment_id text PRIMARY KEY,
        commitment_id text NOT NULL,
        report_kind text NOT NULL,
        report_id text NOT NULL,
        ordinal integer NOT NULL,
        assessment jsonb NOT NULL,
        superseded_by text,
        event_id uuid NOT NULL,
        position bigint NOT NULL UNIQUE,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX independent_assessments_commitment_idx
         ON read.independent_assessments (commitment_id, position)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read.independent_assessments');
  }
}
