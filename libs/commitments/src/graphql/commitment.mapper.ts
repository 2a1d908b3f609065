import { diffFields } from '#kernel';
import { historyConnectionOf, type FieldChangeModel, type HistoryConnectionModel } from '#platform';
import {
  DEFAULT_WEIGHT,
  type BudgetLine,
  type CommitmentState,
  type EvidenceRecord,
  type Milestone,
  type RegisteredCommitment,
} from '../domain/index.js';
import type { HistoryEntry, HistoryPage } from '../application/commitment-timeline.js';
import type { BudgetLineRow } from '../read-models/commitments/budget-line.entity.js';
import type { CommitmentRow } from '../read-models/commitments/commitment.entity.js';
import type { EvidenceRow } from '../read-models/commitments/evidence.entity.js';
import type { MilestoneRow } from '../read-models/commitments/milestone.entity.js';
import type {
  BudgetLineModel,
  CommitmentModel,
  EvidenceModel,
  MilestoneModel,
} from './models/commitment.model.js';
import {
  CommitmentStatusEnum,
  EvidenceKindEnum,
  MilestoneStatusEnum,
  OgpValueEnum,
} from './models/enums.js';

// The public shapes from the read tables (the usual path) and from a folded state (time
// travel): one mapper per source, so that neither table nor state is the API.

const date = (value: string | undefined | null): Date | null =>
  value === undefined || value === null ? null : new Date(value);

export function commitmentFromRow(row: CommitmentRow): CommitmentModel {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    actionPlanId: row.actionPlanId,
    status: row.status as CommitmentStatusEnum,
    startDate: row.startDate,
    endDate: row.endDate,
    leadAgency: { id: row.leadAgencyId, name: row.leadAgency, offices: row.leadOffices },
    stakeholders: row.stakeholders,
    problem: row.problem,
    statusQuo: row.statusQuo,
    action: row.action,
    contribution: row.contribution,
    longTermGoal: row.longTermGoal,
    policyAreas: row.policyAreas,
    ogpValues: row.ogpValueEntries.map((entry) => ({
      value: entry.value as OgpValueEnum,
      relevance: entry.relevance ?? null,
    })),
    resources: row.resources,
    territories: {
      localidades: row.localidades,
      comunas: row.comunas,
      corregimientos: row.corregimientos,
    },
    inclusionGroups: row.inclusionGroups,
    registeredAt: row.registeredAt,
    publishedAt: row.publishedAt,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    withdrawnAt: row.withdrawnAt,
    withdrawalReason: row.withdrawalReason,
    corrections: row.corrections,
    version: row.version,
    shown: {
      source: 'read_model',
      version: row.version,
      latestVersion: null,
      asOf: null,
      knownAt: null,
      atVersion: null,
      recordedLater: 0,
    },
  };
}

export function milestoneFromRow(row: MilestoneRow): MilestoneModel {
  return {
    id: row.id,
    commitmentId: row.commitmentId,
    title: row.title,
    responsibleOffice: row.responsibleOffice,
    plannedStart: row.plannedStart,
    plannedEnd: row.plannedEnd,
    status: row.status as MilestoneStatusEnum,
    progress: row.progress,
    reschedules: row.reschedules,
    weight: row.weight ?? DEFAULT_WEIGHT,
    lastReportedAt: row.lastReportedAt,
    completedAt: row.completedAt,
    cancelledAt: row.cancelledAt,
    cancellationReason: row.cancellationReason,
  };
}

export function evidenceFromRow(row: EvidenceRow): EvidenceModel {
  return {
    milestoneId: row.milestoneId,
    kind: row.kind as EvidenceKindEnum,
    url: row.url,
    fileName: row.fileName,
    sha256: row.sha256,
    mediaType: row.mediaType,
    description: row.description,
    reportedAt: row.reportedAt,
  };
}

export function budgetLineFromRow(row: BudgetLineRow): BudgetLineModel {
  return {
    id: row.id,
    fundingSource: row.fundingSource,
    milestoneId: row.milestoneId,
    proposed: row.proposed,
    approved: row.approved,
    adjusted: row.adjusted,
    executed: row.executed,
  };
}

export function commitmentFromState(
  state: RegisteredCommitment,
  version: number,
  shown: CommitmentModel['shown'] = {
    source: 'log',
    version,
    latestVersion: version,
    asOf: null,
    knownAt: null,
    atVersion: null,
    recordedLater: 0,
  },
): CommitmentModel {
  const s = state as RegisteredCommitment & {
    publishedAt?: string;
    startedAt?: string;
    completedAt?: string;
    withdrawnAt?: string;
    withdrawalReason?: string;
  };
  return {
    id: state.id,
    code: state.code,
    title: state.title,
    actionPlanId: state.actionPlanId,
    status: state.status as CommitmentStatusEnum,
    startDate: state.startDate,
    endDate: state.endDate,
    leadAgency: {
      id: state.leadAgency.id,
      name: state.leadAgency.name,
      offices: state.leadAgency.offices,
    },
    stakeholders: state.stakeholders,
    problem: state.problem ?? null,
    statusQuo: state.statusQuo ?? null,
    action: state.action ?? null,
    contribution: state.contribution ?? null,
    longTermGoal: state.longTermGoal ?? null,
    policyAreas: state.policyAreas,
    ogpValues: state.ogpValues.map((entry) => ({
      value: entry.value as OgpValueEnum,
      relevance: entry.relevance ?? null,
    })),
    resources: state.resources ?? null,
    territories: { ...state.territories },
    inclusionGroups: state.inclusionGroups,
    registeredAt: new Date(state.registeredAt),
    publishedAt: date(s.publishedAt),
    startedAt: date(s.startedAt),
    completedAt: date(s.completedAt),
    withdrawnAt: date(s.withdrawnAt),
    withdrawalReason: s.withdrawalReason ?? null,
    corrections: state.corrections.length,
    version,
    shown,
    folded: {
      milestones: state.milestones.map((m) => milestoneFromState(state.id, m)),
      budget: state.budget.map(budgetLineFromState),
    },
  };
}

function milestoneFromState(commitmentId: string, milestone: Milestone): MilestoneModel {
  return {
    id: milestone.id,
    commitmentId,
    title: milestone.title,
    responsibleOffice: milestone.responsibleOffice,
    plannedStart: milestone.plannedStart,
    plannedEnd: milestone.plannedEnd,
    status: milestone.status as MilestoneStatusEnum,
    progress: milestone.progress,
    reschedules: milestone.reschedules,
    weight: milestone.weight ?? DEFAULT_WEIGHT,
    lastReportedAt: date(milestone.lastReportedAt),
    completedAt: milestone.status === 'completed' ? new Date(milestone.completedAt) : null,
    cancelledAt: milestone.status === 'cancelled' ? new Date(milestone.cancelledAt) : null,
    cancellationReason: milestone.status === 'cancelled' ? milestone.cancellationReason : null,
    evidenceList: milestone.evidence.map((e) => evidenceFromState(milestone.id, e)),
  };
}

function evidenceFromState(milestoneId: string, evidence: EvidenceRecord): EvidenceModel {
  return {
    milestoneId,
    kind: evidence.kind as EvidenceKindEnum,
    url: evidence.kind === 'link' ? evidence.url : null,
    fileName: evidence.kind === 'document' ? evidence.fileName : null,
    sha256: evidence.sha256,
    mediaType: evidence.mediaType,
    description: evidence.description,
    reportedAt: new Date(evidence.reportedAt),
  };
}

function budgetLineFromState(line: BudgetLine): BudgetLineModel {
  return {
    id: line.id,
    fundingSource: line.fundingSource,
    milestoneId: line.milestoneId ?? null,
    proposed: line.amounts.proposed ?? null,
    approved: line.amounts.approved ?? null,
    adjusted: line.amounts.adjusted ?? null,
    executed: line.amounts.executed ?? null,
  };
}

/** The name GraphQL shows for an enum's value: IN_PROGRESS for 'in_progress'. */
function enumName(values: Record<string, string>, value: string): string {
  return Object.keys(values).find((name) => values[name] === value) ?? value;
}

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

function evidenceAsRead(evidence: EvidenceModel): Record<string, unknown> {
  return {
    ...evidence,
    kind: enumName(EvidenceKindEnum, evidence.kind),
    reportedAt: iso(evidence.reportedAt),
  };
}

/**
 * A milestone's weight shows only once it differs from the default: histories recorded before
 * weights existed read as they did, and setting a weight shows as that field's change.
 */
function milestoneAsRead(milestone: MilestoneModel): Record<string, unknown> {
  const { evidenceList, weight, ...fields } = milestone;
  return {
    ...fields,
    ...(weight === DEFAULT_WEIGHT ? {} : { weight }),
    status: enumName(MilestoneStatusEnum, milestone.status),
    lastReportedAt: iso(milestone.lastReportedAt),
    completedAt: iso(milestone.completedAt),
    cancelledAt: iso(milestone.cancelledAt),
    evidence: (evidenceList ?? []).map(evidenceAsRead),
  };
}

/**
 * The commitment as a client reads the Commitment type: its field names and nesting, enum
 * values as GraphQL shows them, DateTime as ISO 8601 text; milestones (each with its
 * evidence) and budget lines nested. Left out: `version`, `view` and `history`, which are
 * about the reading, and the top-level `evidence`, which repeats the milestones'. `null`
 * before the registration.
 */
export function commitmentAsRead(state: CommitmentState): Record<string, unknown> | null {
  if (state.status === 'empty') return null;
  const { version: _version, shown: _shown, folded, ...fields } = commitmentFromState(state, 0);
  return {
    ...fields,
    status: enumName(CommitmentStatusEnum, fields.status),
    ogpValues: fields.ogpValues.map((entry) => ({
      ...entry,
      value: enumName(OgpValueEnum, entry.value),
    })),
    registeredAt: iso(fields.registeredAt),
    publishedAt: iso(fields.publishedAt),
    startedAt: iso(fields.startedAt),
    completedAt: iso(fields.completedAt),
    withdrawnAt: iso(fields.withdrawnAt),
    milestones: (folded?.milestones ?? []).map(milestoneAsRead),
    budget: folded?.budget ?? [],
  };
}

/** What an event changed, as JSON Pointers into the commitment as a client reads it. */
function changesOf({ before, after }: HistoryEntry): FieldChangeModel[] {
  return commitmentChangesOf(before, after);
}

/** What took a commitment from `before` to `after`, as its history shows it. Pure. */
export function commitmentChangesOf(
  before: CommitmentState,
  after: CommitmentState,
): FieldChangeModel[] {
  return diffFields(commitmentAsRead(before), commitmentAsRead(after));
}

/** A page of history as a Relay connection; `before` is the version its cursor named. */
export function historyConnectionFrom(
  page: HistoryPage,
  before: number | undefined,
): HistoryConnectionModel {
  return historyConnectionOf(page, before, changesOf);
}
