import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Poison events: a projection's stall, kept on its checkpoint row so every process sees it
 * (the API's replicas, the command line), and the events operators parked so that the
 * projection skips them. Parked events are a record of where a read model departs from
 * the log: append-only, like the log itself, and never emptied by a rebuild.
 */
export class ParkedEvents1795000000200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    // stalled_at: the position of the event the projection cannot apply (its checkpoint).
    await runner.query(`
      ALTER TABLE read.projection_checkpoints
        ADD COLUMN stalled_at bigint CHECK (stalled_at >= 0),
        ADD COLUMN stall_error text,
        ADD COLUMN stalled_since timestamptz,
        ADD COLUMN stall_attempts integer CHECK (stall_attempts >= 1),
        ADD CONSTRAINT projection_checkpoints_stall_complete
          CHECK (num_nulls(stalled_at, stall_error, stalled_since, stall_attempts) IN (0, 4))`);
    await runner.query(`
      CREATE TABLE read.parked_events (
        projection text NOT NULL,
        position bigint NOT NULL CHECK (position >= 0),
        event_id uuid NOT NULL,
        stream text NOT NULL,
        type text NOT NULL,
        error text NOT NULL,
        reason text NOT NULL CHECK (btrim(reason) <> ''),
        parked_at timestamptz NOT NULL DEFAULT now(),
        parked_by text,
        PRIMARY KEY (projection, position)
      )`);
    await runner.query(`
      CREATE FUNCTION read.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%.% is append-only: % is refused; a parked event stays on record',
          TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'cuenta-append-only';
      END
      $$`);
    await runner.query(`
      CREATE TRIGGER parked_events_refuse_update_delete BEFORE UPDATE OR DELETE
        ON read.parked_events FOR EACH ROW EXECUTE FUNCTION read.refuse_change()`);
    await runner.query(`
      CREATE TRIGGER parked_events_refuse_truncate BEFORE TRUNCATE
        ON read.parked_events FOR EACH STATEMENT EXECUTE FUNCTION read.refuse_change()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read.parked_events');
    await runner.query('DROP FUNCTION read.refuse_change()');
    await runner.query(`
      ALTER TABLE read.projection_checkpoints
        DROP CONSTRAINT projection_checkpoints_stall_complete,
        DROP COLUMN stalled_at,
        DROP COLUMN stall_error,
        DROP COLUMN stalled_since,
        DROP COLUMN stall_attempts`);
  }
}
