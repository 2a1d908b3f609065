import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lead agency's id, which stewards' tokens name, beside its name; and the global position
 * of each commitment's registration, which `commitment(code:)` breaks a tie between
 * commitments sharing a code by (record order, unlike `registered_at`, cannot be backdated).
 * Rows written before have neither, and only the log knows them (events of schema version 1
 * get the id from their upcasters), so the commitments read model is emptied and its
 * checkpoint set back to 0: the projection runner rebuilds it from the log when the server
 * next runs, as `cuenta replay commitments` would.
 *
 * The reset is spelled out here rather than calling `CommitmentsProjection.reset` and the
 * runner's: a migration is frozen history and must not import code that may change after it.
 * It does what they do as of this migration: empty the four tables, and set the checkpoint
 * to 0 with no stall (the stall columns of 1795000000200 are all cleared together, as their
 * CHECK constraint requires; a stall further on in the log means nothing once rebuilding).
 */
export class CommitmentsLeadAgencyId1795000000400 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'TRUNCATE read.commitments, read.milestones, read.evidence, read.budget_lines',
    );
    await runner.query(`
      UPDATE read.projection_checkpoints
         SET position = 0, updated_at = now(), stalled_at = NULL, stall_error = NULL,
             stalled_since = NULL, stall_attempts = NULL
       WHERE name = 'commitments'`);
    await runner.query(`
      ALTER TABLE read.commitments
        ADD COLUMN lead_agency_id text NOT NULL,
        ADD COLUMN registered_position bigint NOT NULL`);
    await runner.query(
      'CREATE INDEX commitments_lead_agency_id_idx ON read.commitments (lead_agency_id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX read.commitments_lead_agency_id_idx');
    await runner.query(`
      ALTER TABLE read.commitments
        DROP COLUMN registered_position,
        DROP COLUMN lead_agency_id`);
  }
}
