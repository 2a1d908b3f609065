import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lead agency's id, which stewards' tokens name, beside its name. Rows written before it
 * have no id, and only the log knows it (events of schema version 1 get it from their
 * upcasters), so the commitments read model is emptied and its checkpoint set back to 0:
 * the projection runner rebuilds it from the log when the server next runs, as
 * `cuenta replay commitments` would.
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
    await runner.query('ALTER TABLE read.commitments ADD COLUMN lead_agency_id text NOT NULL');
    await runner.query(
      'CREATE INDEX commitments_lead_agency_id_idx ON read.commitments (lead_agency_id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX read.commitments_lead_agency_id_idx');
    await runner.query('ALTER TABLE read.commitments DROP COLUMN lead_agency_id');
  }
}
