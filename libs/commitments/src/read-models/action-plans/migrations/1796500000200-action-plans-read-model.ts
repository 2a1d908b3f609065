import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registered action plans (`read.action_plans`), and each milestone's roll-up weight beside
 * its progress (`read.milestones.weight`, null until a steward sets one: no event before this
 * migration set one, so no rebuild is needed).
 */
export class ActionPlansReadModel1796500000200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.action_plans (
        id text PRIMARY KEY,
        jurisdiction text NOT NULL,
        title text NOT NULL,
        period_start text NOT NULL,
        period_end text NOT NULL,
        ogp_cycle text NOT NULL,
        status text NOT NULL,
        registered_at timestamptz NOT NULL,
        commitment_weights jsonb NOT NULL,
        version integer NOT NULL,
        last_position bigint NOT NULL
      )`);
    await runner.query('ALTER TABLE read.milestones ADD COLUMN weight integer');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE read.milestones DROP COLUMN weight');
    await runner.query('DROP TABLE read.action_plans');
  }
}
