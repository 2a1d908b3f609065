import type { DataSource } from 'typeorm';

// Read-model rows written straight into the tables the statistics read, so a test can say
// exactly how many people each cell describes. Columns the statistics do not read get
// plain values.

export interface CommitmentRow {
  id: string;
  agencyId?: string;
  agency?: string;
  actionPlanId?: string;
  status?: string;
  endDate?: string;
  completedAt?: string;
  localidades?: string[];
  comunas?: string[];
  corregimientos?: string[];
  inclusionGroups?: string[];
}

export async function insertCommitment(dataSource: DataSource, row: CommitmentRow): Promise<void> {
  await dataSource.query(
    `INSERT INTO read.commitments (id, code, title, action_plan_id, status, start_date, end_date,
       lead_agency, lead_agency_id, lead_offices, stakeholders, policy_areas, ogp_values,
       ogp_value_entries, localidades, comunas, corregimientos, territories, inclusion_groups,
       registered_at, completed_at, corrections, version, last_position, last_changed_at,
       search, registered_position)
     VALUES ($1, $1, $1, $2, $3, '2023-01-01', $4, $5, $6, '{}', '{}', '{}', '{}', '[]',
       $7::text[], $8::text[], $9::text[], $7::text[] || $8::text[] || $9::text[], $10::text[], '2023-01-01T00:00:00Z', $11, 0, 1, 0,
       '2023-01-01T00:00:00Z', $1, 0)`,
    [
      row.id,
      row.actionPlanId ?? 'plan-2023',
      row.status ?? 'in_progress',
      row.endDate ?? '2030-12-31',
      row.agency ?? 'Alcaldía de Cartagena',
      row.agencyId ?? 'alcaldia',
      row.localidades ?? [],
      row.comunas ?? [],
      row.corregimientos ?? [],
      row.inclusionGroups ?? [],
      row.completedAt ?? null,
    ],
  );
}

export interface MilestoneRow {
  commitmentId: string;
  id: string;
  status?: string;
  plannedEnd?: string;
  completedAt?: string;
}

export async function insertMilestone(dataSource: DataSource, row: MilestoneRow): Promise<void> {
  await dataSource.query(
    `INSERT INTO read.milestones (commitment_id, id, ordinal, title, responsible_office,
       planned_start, planned_end, status, progress, reschedules, completed_at)
     VALUES ($1, $2, 1, $2, 'office', '2023-01', $3, $4, 0, 0, $5)`,
    [
      row.commitmentId,
      row.id,
      row.plannedEnd ?? '2030-12',
      row.status ?? 'scheduled',
      row.completedAt ?? null,
    ],
  );
}

export interface EvaluationRow {
  id: string;
  commitmentId?: string;
  agencyId?: string;
  territory: string;
  clarity?: number;
  progress?: number;
  /** Days from submission to the answer; absent: not answered. */
  answeredAfterDays?: number;
  hidden?: boolean;
}

export async function insertEvaluation(dataSource: DataSource, row: EvaluationRow): Promise<void> {
  const submitted = new Date('2024-03-01T12:00:00Z');
  const answered =
    row.answeredAfterDays === undefined
      ? null
      : new Date(submitted.getTime() + row.answeredAfterDays * 86_400_000).toISOString();
  await dataSource.query(
    `INSERT INTO read.evaluations (id, target_kind, commitment_id, agency_id, territory, clarity,
       progress, submitted_at, submitted_position, due_date, answer, answered_at, answers,
       moderation_state, version, last_position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, '2024-03-20', $9, $10, $11, $12, 1, 0)`,
    [
      row.id,
      row.commitmentId === undefined ? 'agency' : 'commitment',
      row.commitmentId ?? null,
      row.agencyId ?? null,
      row.territory,
      row.clarity ?? null,
      row.progress ?? null,
      submitted.toISOString(),
      answered === null ? null : 'respuesta',
      answered,
      answered === null ? 0 : 1,
      row.hidden === true ? 'hidden' : 'visible',
    ],
  );
}

export interface SpaceRow {
  id: string;
  agencyId?: string;
  status?: 'convened' | 'held' | 'cancelled';
  territoryId?: string;
  commitmentIds?: string[];
  attendance?: number;
}

export async function insertSpace(dataSource: DataSource, row: SpaceRow): Promise<void> {
  const space = {
    dialogueSpaceId: row.id,
    status: row.status ?? 'held',
    ...(row.attendance === undefined ? {} : { attendance: { total: row.attendance } }),
  };
  await dataSource.query(
    `INSERT INTO read.dialogue_spaces (id, kind, status, starts_at, territory_id, agency_id,
       commitment_ids, space, version, last_position)
     VALUES ($1, 'meeting', $2, '2024-02-01T14:00:00Z', $3, $4, $5, $6, 1, 0)`,
    [
      row.id,
      row.status ?? 'held',
      row.territoryId ?? null,
      row.agencyId ?? 'alcaldia',
      row.commitmentIds ?? [],
      JSON.stringify(space),
    ],
  );
}
