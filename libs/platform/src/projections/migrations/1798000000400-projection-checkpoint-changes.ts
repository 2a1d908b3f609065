import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * changes: how many times the projection's tables have changed, counted in the transactions
 * that change them (a batch that applied events, a reset). A checkpoint moves past every
 * event of the log, most of them not the projection's own; this moves only when what the
 * read model shows may have changed, so a cache keyed by it (`readVersion`) lasts until then.
 */
export class ProjectionCheckpointChanges1798000000400 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE read.projection_checkpoints
        ADD COLUMN changes bigint NOT NULL DEFAULT 0 CHECK (changes >= 0)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE read.projection_checkpoints DROP COLUMN changes');
  }
}
