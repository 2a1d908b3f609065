import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `read` schema and one checkpoint row per projection: the next global position to apply. */
export class ProjectionCheckpoints1795000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.projection_checkpoints (
        name text PRIMARY KEY,
        position bigint NOT NULL DEFAULT 0 CHECK (position >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read.projection_checkpoints');
  }
}
