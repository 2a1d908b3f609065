import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The prioritizations read model: one row per exercise, listed newest first. */
export class PrioritizationsReadModel1796000000300 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.prioritizations (
        id text PRIMARY KEY,
        title text NOT NULL,
        description text,
        agency_id text NOT NULL,
        commitment_id text,
        milestone_id text,
        topics jsonb NOT NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        method text NOT NULL,
        status text NOT NULL,
        ballots_cast integer NOT NULL,
        participants integer NOT NULL,
        standings jsonb,
        closed_at timestamptz,
        opened_position bigint NOT NULL UNIQUE,
        version integer NOT NULL,
        last_position bigint NOT NULL
      )`);
    await runner.query(
      'CREATE INDEX prioritizations_commitment_idx ON read.prioritizations (commitment_id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read.prioritizations');
  }
}
