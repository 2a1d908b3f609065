import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log's read model: one row per event of every context, indexed for the audit
 * filters; each stream's latest business time (for backdated changes); and counts per month,
 * agency, role, actor and type (for change-log summaries over long periods).
 */
export class AuditLogReadModel1797000001300 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.audit_log (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        type text NOT NULL,
        stream text COLLATE "C" NOT NULL,
        stream_version integer NOT NULL,
        actor_subject text,
        actor_role text,
        actor_agency text,
        recorded_at timestamptz NOT NULL,
        occurred_at timestamptz NOT NULL,
        reason text,
        before_previous boolean NOT NULL,
        backdated_seconds bigint NOT NULL
      )`);
    // Newest first is by recording time, then position: every index ends with both, so a
    // page of one actor (or agency, type, stream) over a period is read in order from its
    // index and stops after the page, however long the log.
    for (const [name, columns] of [
      ['recorded', ''],
      ['actor', 'actor_subject, '],
      ['agency', 'actor_agency, '],
      ['role', 'actor_role, '],
      ['type', 'type, '],
      ['stream', 'stream, '],
    ]) {
      await runner.query(
        `CREATE INDEX audit_log_${name}_idx ON read.audit_log (${columns}recorded_at, position)`,
      );
    }
    await runner.query('CREATE INDEX audit_log_occurred_idx ON read.audit_log (occurred_at)');
    // Retroactive candidates (the threshold is at least one day) and changes without a reason.
    await runner.query(
      `CREATE INDEX audit_log_retroactive_idx ON read.audit_log (recorded_at, position)
        WHERE before_previous OR backdated_seconds > 86400`,
    );
    await runner.query(
      `CREATE INDEX audit_log_without_reason_idx ON read.audit_log (recorded_at, position)
        WHERE reason IS NULL`,
    );
    await runner.query(`
      CREATE TABLE read.audit_streams (
        stream text COLLATE "C" PRIMARY KEY,
        latest_occurred_at timestamptz NOT NULL
      )`);
    // '' stands for "none" (a system event has no actor), so that the key has no nulls.
    await runner.query(`
      CREATE TABLE read.audit_counts (
        month date NOT NULL,
        agency text NOT NULL,
        role text NOT NULL,
        actor text NOT NULL,
        type text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (month, agency, role, actor, type)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read.audit_counts');
    await runner.query('DROP TABLE read.audit_streams');
    await runner.query('DROP TABLE read.audit_log');
  }
}
