import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The red flags' read model: each file the red-flag fold keeps (a commitment, an evaluation,
 * a dialogue space), as JSON, with what the queries filter it by.
 */
export class RedFlagFilesReadModel1797000000500 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.red_flag_files (
        key text PRIMARY KEY,
        kind text NOT NULL,
        agency_id text,
        commitment_ids text[] NOT NULL,
        file jsonb NOT NULL,
        last_position bigint NOT NULL
      )`);
    await runner.query(
      'CREATE INDEX red_flag_files_commitments_idx ON read.red_flag_files USING gin (commitment_ids)',
    );
    await runner.query('CREATE INDEX red_flag_files_agency_idx ON read.red_flag_files (agency_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read.red_flag_files');
  }
}
