import { diffFields, type FieldChange } from '#kernel';
import type { HistoryEntry } from '#platform';
import type {
  DialogueSpaceState,
  ImprovementAction,
  RecordedDialogueSpace,
} from '../domain/index.js';
import { territoryById } from '../../domain/territories.js';
import type {
  DialogueChannelEnum,
  DialogueSpaceKindEnum,
  DialogueSpaceStatusEnum,
  ImprovementActionReportStatusEnum,
  ImprovementActionStatusEnum,
} from './models/dialogue.enums.js';
import type { DialogueSpaceModel, ImprovementActionModel } from './models/dialogue-space.model.js';

const date = (value: string | undefined): Date | null =>
  value === undefined ? null : new Date(value);

/** An improvement action as the API shows it. */
export function improvementActionFrom(
  dialogueSpaceId: string,
  action: ImprovementAction,
): ImprovementActionModel {
  return {
    id: action.actionId,
    dialogueSpaceId,
    commitmentId: action.commitmentId,
    description: action.description,
    responsibleAgency: action.responsibleAgency,
    dueDate: action.dueDate,
    agreedAt: new Date(action.agreedAt),
    status: action.status as ImprovementActionStatusEnum,
    percent: action.percent,
    reports: action.reports.map((report) => ({
      status: report.status as ImprovementActionReportStatusEnum,
      percent: report.percent,
      note: report.note ?? null,
      evidence: report.evidence,
      reportedAt: new Date(report.reportedAt),
      reason: report.reason ?? null,
    })),
    completedAt: date(action.completedAt),
    cancelledAt: date(action.cancelledAt),
    cancellationReason: action.cancellationReason ?? null,
  };
}

/** A dialogue space as the API shows it, from its folded state at `version`. */
export function dialogueSpaceFrom(
  space: RecordedDialogueSpace,
  version: number,
): DialogueSpaceModel {
  const { attendance } = space;
  return {
    id: space.dialogueSpaceId,
    kind: space.kind as DialogueSpaceKindEnum,
    title: space.title,
    status: space.status as DialogueSpaceStatusEnum,
    convenedAt: new Date(space.convenedAt),
    startsAt: new Date(space.startsAt),
    place: space.place,
    channel: space.channel as DialogueChannelEnum,
    territoryId: space.territoryId ?? null,
    territoryName:
      space.territoryId === undefined ? null : (territoryById(space.territoryId)?.name ?? null),
    agenda: space.agenda,
    commitmentIds: space.commitmentIds,
    leadAgencyId: space.agencyId,
    recordedAt: new Date(space.recordedAt),
    heldAt: date(space.heldAt),
    cancelledAt: date(space.cancelledAt),
    cancellationReason: space.cancellationReason ?? null,
    attendance:
      attendance === undefined
        ? null
        : {
            total: attendance.total,
            byGroup: attendance.byGroup,
            byTerritory: attendance.byTerritory.map((c) => ({
              ...c,
              territoryName: territoryById(c.territoryId)?.name ?? c.territoryId,
            })),
            minutes: attendance.minutes ?? null,
            recordedAt: new Date(attendance.recordedAt),
            corrections: attendance.corrections,
          },
    improvementActions: space.actions.map((a) => improvementActionFrom(space.dialogueSpaceId, a)),
    version,
  };
}

/** The space as its history diffs it: the API's fields, without version and history. */
function shown(state: DialogueSpaceState): Record<string, unknown> | null {
  if (state.status === 'empty') return null;
  const { version: _v, events: _e, improvementActions, ...fields } = dialogueSpaceFrom(state, 0);
  return JSON.parse(
    JSON.stringify({
      ...fields,
      improvementActions: Object.fromEntries(improvementActions.map((a) => [a.id, a])),
    }),
  ) as Record<string, unknown>;
}

/** What one event of a space's history changed, as JSON Pointers into the DialogueSpace. */
export function dialogueSpaceChangesOf(
  entry: Pick<HistoryEntry<DialogueSpaceState>, 'before' | 'after'>,
): FieldChange[] {
  return diffFields(shown(entry.before), shown(entry.after));
}
