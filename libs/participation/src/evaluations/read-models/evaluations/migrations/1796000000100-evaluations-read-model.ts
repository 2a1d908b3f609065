import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizens' evaluations as the API lists them. Personal members (comment, contact, groups)
 * hold the log's placeholders, never the values.
 */
export class EvaluationsReadModel1796000000100 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.evaluations (
        id text PRIMARY KEY,
        target_kind text NOT NULL,
        commitment_id text,
        milestone_id text,
        dialogue_space_id text,
        agency_id text,
        territory text NOT NULL,
        clarity smallint,
        progress smallint,
        dialogue_usefulness smallint,
        comment jsonb,
        contact jsonb,
        groups jsonb,
        submitted_by text,
        submitted_at timestamptz NOT NULL,
        submitted_position bigint NOT NULL,
        due_date date NOT NULL,
        answer text,
        answered_at timestamptz,
        answered_by text,
        answers integer NOT NULL DEFAULT 0,
        reports integer NOT NULL DEFAULT 0,
        moderation_state text NOT NULL DEFAULT 'visible',
        hidden_category text,
        hidden_reason text,
        hidden_automatic boolean,
        hidden_at timestamptz,
        version integer NOT NULL,
        last_position bigint NOT NULL
      )`);
    await runner.query(
      'CREATE INDEX evaluations_by_position ON read.evaluations (submitted_position DESC)',
    );
    await runner.query(
      'CREATE INDEX evaluations_by_commitment ON read.evaluations (commitment_id, submitted_position DESC)',
    );
    await runner.query(
      'CREATE INDEX evaluations_by_space ON read.evaluations (dialogue_space_id, submitted_position DESC)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read.evaluations');
  }
}
