import type {
  BudgetLine,
  EvidenceRecord,
  Milestone,
  RegisteredCommitment,
} from '../../domain/index.js';

// A commitment's state as rows of the read tables, keyed by column name, so a batch of them
// can be written with one `jsonb_populate_recordset` statement per table.

export type Row = Record<string, unknown>;

/** Lower case, without accents: what the text filter compares. */
export function searchable(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** The columns of a commitment row that change without a revision of its template. */
export const LIFECYCLE_COLUMNS = [
  'status',
  'published_at',
  'started_at',
  'completed_at',
  'withdrawn_at',
  'withdrawal_reason',
  'corrections',
  'version',
  'last_position',
  'last_changed_at',
] as const;

/** Where a row stands in the log: the stream version and event it shows. */
export interface RowPosition {
  /** The stream version the row shows. */
  version: number;
  /** The global position of that version's event. */
  lastPosition: number;
  /** Its business time. */
  lastChangedAt: string;
}

type Lifecycle = RegisteredCommitment & {
  publishedAt?: string;
  startedAt?: string;
  completedAt?: string;
  withdrawnAt?: string;
  withdrawalReason?: string;
};

/** The row's `id` and LIFECYCLE_COLUMNS: what changes when the template does not. */
export function lifecycleRow(
  state: RegisteredCommitment,
  { version, lastPosition, lastChangedAt }: RowPosition,
): Row {
  const s = state as Lifecycle;
  return {
    id: state.id,
    status: state.status,
    published_at: s.publishedAt ?? null,
    started_at: s.startedAt ?? null,
    completed_at: s.completedAt ?? null,
    withdrawn_at: s.withdrawnAt ?? null,
    withdrawal_reason: s.withdrawalReason ?? null,
    corrections: state.corrections.length,
    version,
    last_position: lastPosition,
    last_changed_at: lastChangedAt,
  };
}

/**
 * The whole row. `registeredPosition`: the global position of the registration (the
 * stream's version 1), which orders commitments that share a code by when the log recorded
 * them (their `registeredAt` is business time, which a caller may backdate).
 */
export function commitmentRow(
  state: RegisteredCommitment,
  at: RowPosition & { registeredPosition: number },
): Row {
  const { localidades, comunas, corregimientos } = state.territories;
  const lifecycle = lifecycleRow(state, at);
  return {
    id: state.id,
    code: state.code,
    title: state.title,
    action_plan_id: state.actionPlanId,
    status: state.status,
    start_date: state.startDate,
    end_date: state.endDate,
    lead_agency_id: state.leadAgency.id,
    lead_agency: state.leadAgency.name,
    lead_offices: state.leadAgency.offices,
    stakeholders: state.stakeholders,
    problem: state.problem ?? null,
    status_quo: state.statusQuo ?? null,
    action: state.action ?? null,
    contribution: state.contribution ?? null,
    long_term_goal: state.longTermGoal ?? null,
    policy_areas: state.policyAreas,
    ogp_values: state.ogpValues.map((entry) => entry.value),
    ogp_value_entries: state.ogpValues,
    resources: state.resources ?? null,
    localidades,
    comunas,
    corregimientos,
    territories: [...localidades, ...comunas, ...corregimientos],
    inclusion_groups: state.inclusionGroups,
    registered_at: state.registeredAt,
    registered_position: at.registeredPosition,
    published_at: lifecycle.published_at,
    started_at: lifecycle.started_at,
    completed_at: lifecycle.completed_at,
    withdrawn_at: lifecycle.withdrawn_at,
    withdrawal_reason: lifecycle.withdrawal_reason,
    corrections: lifecycle.corrections,
    version: lifecycle.version,
    last_position: lifecycle.last_position,
    last_changed_at: lifecycle.last_changed_at,
    search: searchable(
      [
        state.code,
        state.title,
        state.leadAgency.name,
        ...state.leadAgency.offices,
        ...state.stakeholders,
        state.problem,
        state.statusQuo,
        state.action,
        state.contribution,
        state.longTermGoal,
        ...state.policyAreas,
      ]
        .filter((part) => part !== undefined)
        .join('\n'),
    ),
  };
}

export function milestoneRow(commitmentId: string, milestone: Milestone, ordinal: number): Row {
  return {
    commitment_id: commitmentId,
    id: milestone.id,
    ordinal,
    title: milestone.title,
    responsible_office: milestone.responsibleOffice,
    planned_start: milestone.plannedStart,
    planned_end: milestone.plannedEnd,
    status: milestone.status,
    progress: milestone.progress,
    reschedules: milestone.reschedules,
    weight: milestone.weight ?? null,
    last_reported_at: milestone.lastReportedAt ?? null,
    completed_at: milestone.status === 'completed' ? milestone.completedAt : null,
    cancelled_at: milestone.status === 'cancelled' ? milestone.cancelledAt : null,
    cancellation_reason: milestone.status === 'cancelled' ? milestone.cancellationReason : null,
  };
}

export function evidenceRow(
  commitmentId: string,
  milestoneId: string,
  evidence: EvidenceRecord,
  ordinal: number,
): Row {
  return {
    commitment_id: commitmentId,
    milestone_id: milestoneId,
    ordinal,
    kind: evidence.kind,
    url: evidence.kind === 'link' ? evidence.url : null,
    file_name: evidence.kind === 'document' ? evidence.fileName : null,
    sha256: evidence.sha256,
    media_type: evidence.mediaType,
    description: evidence.description,
    reported_at: evidence.reportedAt,
  };
}

export function budgetLineRow(commitmentId: string, line: BudgetLine, ordinal: number): Row {
  return {
    commitment_id: commitmentId,
    id: line.id,
    ordinal,
    funding_source: line.fundingSource,
    milestone_id: line.milestoneId ?? null,
    proposed: line.amounts.proposed ?? null,
    approved: line.amounts.approved ?? null,
    adjusted: line.amounts.adjusted ?? null,
    executed: line.amounts.executed ?? null,
  };
}
