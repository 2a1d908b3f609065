import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The commitments read model: commitments, milestones, evidence and budget lines. */
export class CommitmentsReadModel1795000000100 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read.commitments (
        id text PRIMARY KEY,
        code text NOT NULL,
        title text NOT NULL,
        action_plan_id text NOT NULL,
        status text NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL,
        lead_agency text NOT NULL,
        lead_offices text[] NOT NULL,
        stakeholders text[] NOT NULL,
        problem text,
        status_quo text,
        action text,
        contribution text,
        long_term_goal text,
        policy_areas text[] NOT NULL,
        ogp_values text[] NOT NULL,
        ogp_value_entries jsonb NOT NULL,
        resources text,
        localidades text[] NOT NULL,
        comunas text[] NOT NULL,
        corregimientos text[] NOT NULL,
        territories text[] NOT NULL,
        inclusion_groups text[] NOT NULL,
        registered_at timestamptz NOT NULL,
        published_at timestamptz,
        started_at timestamptz,
        completed_at timestamptz,
        withdrawn_at timestamptz,
        withdrawal_reason text,
        corrections integer NOT NULL,
        version integer NOT NULL,
        last_position bigint NOT NULL,
        last_changed_at timestamptz NOT NULL,
        search text NOT NULL
      )`);
    // Codes are unique by intent, but the log is the authority: a read model must never
    // refuse what the log holds, so the index is not UNIQUE.
    await runner.query('CREATE INDEX commitments_code_idx ON read.commitments (code, id)');
    await runner.query('CREATE INDEX commitments_plan_idx ON read.commitments (action_plan_id)');
    await runner.query('CREATE INDEX commitments_status_idx ON read.commitments (status)');
    await runner.query(
      'CREATE INDEX commitments_agency_idx ON read.commitments (lower(lead_agency))',
    );
    await runner.query(
      'CREATE INDEX commitments_policy_areas_idx ON read.commitments USING gin (policy_areas)',
    );
    await runner.query(
      'CREATE INDEX commitments_ogp_values_idx ON read.commitments USING gin (ogp_values)',
    );
    await runner.query(
      'CREATE INDEX commitments_territories_idx ON read.commitments USING gin (territories)',
    );
    await runner.query(`
      CREATE TABLE read.milestones (
        commitment_id text NOT NULL,
        id text NOT NULL,
        ordinal integer NOT NULL,
        title text NOT NULL,
        responsible_office text NOT NULL,
        planned_start text NOT NULL,
        planned_end text NOT NULL,
        status text NOT NULL,
        progress integer NOT NULL,
        reschedules integer NOT NULL,
        last_reported_at timestamptz,
        completed_at timestamptz,
        cancelled_at timestamptz,
        cancellation_reason text,
        PRIMARY KEY (commitment_id, id)
      )`);
    await runner.query(`
      CREATE TABLE read.evidence (
        commitment_id text NOT NULL,
        milestone_id text NOT NULL,
        ordinal integer NOT NULL,
        kind text NOT NULL,
        url text,
        file_name text,
        sha256 text NOT NULL,
        media_type text NOT NULL,
        description text NOT NULL,
        reported_at timestamptz NOT NULL,
        PRIMARY KEY (commitment_id, milestone_id, ordinal)
      )`);
    await runner.query(`
      CREATE TABLE read.budget_lines (
        commitment_id text NOT NULL,
        id text NOT NULL,
        ordinal integer NOT NULL,
        funding_source text NOT NULL,
        milestone_id text,
        proposed bigint,
        approved bigint,
        adjusted bigint,
        executed bigint,
        PRIMARY KEY (commitment_id, id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DROP TABLE read.budget_lines, read.evidence, read.milestones, read.commitments',
    );
  }
}
