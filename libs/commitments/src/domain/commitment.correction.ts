import {
  defined,
  firstDayOf,
  identifier,
  lastDayOf,
  optionalText,
  percent,
  plannedDate,
  text,
} from '#kernel';
import type { JsonValue } from './commitment.commands.js';
import type {
  CorrectableEvent,
  EventCorrected,
  StoredCommitmentEvent,
} from './commitment.events.js';
import { InvalidCommand } from './commitment.errors.js';
import {
  LIMITS,
  TEMPLATE_FIELDS,
  amountCop,
  budgetPhase,
  commitmentFields,
  evidenceList,
  revisionChanges,
  type FieldContext,
} from './commitment.validate.js';

// What a correction may supersede, and how the amended history is read.
//
// A correction replaces the data of one earlier event, or retracts the event. Only events
// that record facts can be corrected: lifecycle steps (publication, start, completion,
// withdrawal, a milestone's cancellation) and corrections themselves cannot, because undoing
// a step would silently reopen what others have relied on. Identity and timing (ids, the
// milestone or line an event is about, its business time) are never corrected either: a
// correction says "this event should have said X", not "a different event happened".

/** The data fields a correction may change, per event type. */
const EDITABLE: { [T in CorrectableEvent['type']]: readonly string[] } = {
  CommitmentRegistered: TEMPLATE_FIELDS,
  CommitmentRevised: ['changes', 'reason'],
  MilestoneAdded: ['title', 'responsibleOffice', 'plannedStart', 'plannedEnd'],
  MilestoneRescheduled: ['plannedStart', 'plannedEnd', 'reason'],
  MilestoneProgressReported: ['percent', 'note', 'evidence'],
  MilestoneCompleted: ['note', 'evidence'],
  BudgetRecorded: ['phase', 'amountCop', 'fundingSource', 'milestoneId', 'reason'],
};

/**
 * Events that may be retracted outright. A registration or an added milestone may not, as
 * later events refer to them (a milestone is cancelled instead); a completed milestone may
 * not, as completion is a lifecycle step.
 */
const RETRACTABLE: ReadonlySet<CorrectableEvent['type']> = new Set([
  'CommitmentRevised',
  'MilestoneRescheduled',
  'MilestoneProgressReported',
  'BudgetRecorded',
]);

export function isCorrectable(event: StoredCommitmentEvent): event is CorrectableEvent & {
  id: string;
} {
  return Object.hasOwn(EDITABLE, event.type);
}

export function isRetractable(event: CorrectableEvent): boolean {
  return RETRACTABLE.has(event.type);
}

/**
 * The history as corrections say it should read: corrections removed, each superseded event
 * replaced by its latest correction's replacement (keeping its id and place) or dropped if
 * that correction retracts it.
 */
export function effectiveHistory(
  history: readonly StoredCommitmentEvent[],
): StoredCommitmentEvent[] {
  const latest = new Map<string, EventCorrected>();
  for (const event of history) {
    if (event.type === 'EventCorrected') latest.set(event.data.correctedEventId, event);
  }
  return history.flatMap((event): StoredCommitmentEvent[] => {
    if (event.type === 'EventCorrected') return [];
    const correction = latest.get(event.id);
    if (correction === undefined) return [event];
    const replacement = correction.data.replacement;
    return replacement === undefined ? [] : [{ ...replacement, id: event.id }];
  });
}

/**
 * The event `eventId` as the history currently reads it: the original, its latest
 * replacement, or `null` when retracted. Precondition: `eventId` is in `history`.
 */
export function currentVersion(
  history: readonly StoredCommitmentEvent[],
  original: CorrectableEvent,
  eventId: string,
): CorrectableEvent | null {
  let current: CorrectableEvent | null = original;
  for (const event of history) {
    if (event.type === 'EventCorrected' && event.data.correctedEventId === eventId) {
      current = event.data.replacement ?? null;
    }
  }
  return current;
}

/**
 * `base` with the fields in `patch` changed (`null` removes an optional field), checked as
 * strictly as the command that recorded it. Errors name fields as `corrected.<field>`.
 * `context.agencyId` is the id a lead agency given without one gets (the commitment's).
 */
export function correctedCopy(
  base: CorrectableEvent,
  patch: { [field: string]: JsonValue },
  context: FieldContext = {},
): CorrectableEvent {
  const editable = EDITABLE[base.type];
  const merged: Record<string, unknown> = { ...base.data };
  for (const [key, value] of Object.entries(patch)) {
    if (!editable.includes(key)) {
      throw new InvalidCommand({
        field: `corrected.${key}`,
        rule: 'not_a_field',
        message: `corrected.${key} cannot be corrected in a ${base.type} event`,
      });
    }
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const f = (name: string) => `corrected.${name}`;
  switch (base.type) {
    case 'CommitmentRegistered': {
      const template = Object.fromEntries(
        Object.entries(merged).filter(([key]) => editable.includes(key)),
      );
      return {
        type: base.type,
        data: {
          commitmentId: base.data.commitmentId,
          ...commitmentFields(template, 'corrected.', context),
          registeredAt: base.data.registeredAt,
        },
      };
    }
    case 'CommitmentRevised': {
      const changes = revisionChanges(merged.changes, f('changes'), context);
      if (Object.keys(changes).length === 0) {
        throw new InvalidCommand({ field: f('changes'), rule: 'required' });
      }
      return {
        type: base.type,
        data: {
          commitmentId: base.data.commitmentId,
          changes,
          reason: text(merged.reason, f('reason')),
        },
      };
    }
    case 'MilestoneAdded':
      return {
        type: base.type,
        data: {
          commitmentId: base.data.commitmentId,
          milestoneId: base.data.milestoneId,
          title: text(merged.title, f('title'), LIMITS.title),
          responsibleOffice: text(merged.responsibleOffice, f('responsibleOffice'), LIMITS.name),
          ...plannedRange(merged, 'corrected.'),
        },
      };
    case 'MilestoneRescheduled':
      return {
        type: base.type,
        data: {
          commitmentId: base.data.commitmentId,
          milestoneId: base.data.milestoneId,
          ...plannedRange(merged, 'corrected.'),
          reason: text(merged.reason, f('reason')),
        },
      };
    case 'MilestoneProgressReported':
      return {
        type: base.type,
        data: defined({
          commitmentId: base.data.commitmentId,
          milestoneId: base.data.milestoneId,
          percent: percent(merged.percent, f('percent')),
          reportedAt: base.data.reportedAt,
          note: optionalText(merged.note, f('note')),
          evidence: evidenceList(merged.evidence, f('evidence')),
        }),
      };
    case 'MilestoneCompleted':
      return {
        type: base.type,
        data: defined({
          commitmentId: base.data.commitmentId,
          milestoneId: base.data.milestoneId,
          completedAt: base.data.completedAt,
          note: optionalText(merged.note, f('note')),
          evidence: evidenceList(merged.evidence, f('evidence')),
        }),
      };
    case 'BudgetRecorded':
      return {
        type: base.type,
        data: defined({
          commitmentId: base.data.commitmentId,
          lineId: base.data.lineId,
          phase: budgetPhase(merged.phase, f('phase')),
          amountCop: amountCop(merged.amountCop, f('amountCop')),
          fundingSource: text(merged.fundingSource, f('fundingSource'), LIMITS.name),
          milestoneId:
            merged.milestoneId === undefined
              ? undefined
              : identifier(merged.milestoneId, f('milestoneId')),
          reason: optionalText(merged.reason, f('reason')),
        }),
      };
    default:
      return unreachable(base);
  }
}

/**
 * A milestone's planned start and end, checked for format and order (not against the
 * commitment's dates, which the caller checks). `prefix` goes before the field names.
 */
export function plannedRange(
  input: Record<string, unknown>,
  prefix: string,
): { plannedStart: string; plannedEnd: string } {
  const plannedStart = plannedDate(input.plannedStart, `${prefix}plannedStart`);
  const plannedEnd = plannedDate(input.plannedEnd, `${prefix}plannedEnd`);
  if (lastDayOf(plannedEnd) < firstDayOf(plannedStart)) {
    throw new InvalidCommand({
      field: `${prefix}plannedEnd`,
      rule: 'not_before_start',
      message: `${prefix}plannedEnd must not be before ${prefix}plannedStart`,
    });
  }
  return { plannedStart, plannedEnd };
}

function unreachable(value: never): never {
  throw new Error(`unexpected event ${JSON.stringify(value)}`);
}
