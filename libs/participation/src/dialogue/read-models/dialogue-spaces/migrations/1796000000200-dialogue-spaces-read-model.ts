import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The dialogue spaces read model: each space folded whole, and its improvement actions. */
export class DialogueSpacesReadModel1796000000200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.dialogue_spaces (
        id text PRIMARY KEY,
        kind text NOT NULL,
        status text NOT NULL,
        starts_at timestamptz NOT NULL,
        territory_id text,
        agency_id text NOT NULL,
        commitment_ids text[] NOT NULL,
        space jsonb NOT NULL,
        version integer NOT NULL,
        last_position bigint NOT NULL
      )`);
    await runner.query(
      'CREATE INDEX dialogue_spaces_order_idx ON read.dialogue_spaces (starts_at DESC, id DESC)',
    );
    await runner.query(
      'CREATE INDEX dialogue_spaces_commitments_idx ON read.dialogue_spaces USING gin (commitment_ids)',
    );
    await runner.query(`
      CREATE TABLE read.improvement_actions (
        dialogue_space_id text NOT NULL,
        id text NOT NULL,
        ordinal integer NOT NULL,
        commitment_id text NOT NULL,
        status text NOT NULL,
        due_date date NOT NULL,
        action jsonb NOT NULL,
        PRIMARY KEY (dialogue_space_id, id)
      )`);
    await runner.query(
      'CREATE INDEX improvement_actions_commitment_idx ON read.improvement_actions (commitment_id, due_date, dialogue_space_id, ordinal)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read.improvement_actions');
    await runner.query('DROP TABLE read.dialogue_spaces');
  }
}
