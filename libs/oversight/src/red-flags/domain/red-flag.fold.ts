import {
  isCalendarDate,
  isPlannedDate,
  lastDayOf,
  type CalendarDate,
  type PlannedDate,
} from '#kernel';

/**
 * The fold behind every red flag: the log's events, in log order, gathered into one "file"
 * per subject (a commitment, an evaluation, a dialogue space) holding only the facts the rules
 * read. Thresholds are applied later, by `evaluate`, so a file does not depend on them.
 *
 * The same fold runs in the API (a projection keeps each file as JSON) and in `cuenta flags`
 * over an export, so a file must be plain JSON: no `undefined`, no Map, no Date.
 *
 * Events are read as recorded, except that a commitment's lead agency may lack its id in
 * events written before agencies had ids: the agency is used only to filter and to check who
 * may justify, never in a flag itself, so both readings give the same flags.
 */

/** The parts of a log entry the fold reads: an export's envelope and a recorded event both fit. */
export interface FlagSourceEvent {
  position: number;
  stream: string;
  type: string;
  data: object;
  metadata: { occurredAt: string; recordedAt: string };
}

/**
 * Where and when something happened: an event's business time and its log position. The fold
 * keeps about one per event, so it copies them field by field: V8 builds an object literal
 * several times faster than an object spread.
 */
export interface Fact {
  at: string;
  position: number;
}

/** A condition turning on or off at an event. */
export interface Sample extends Fact {
  on: boolean;
}

export interface Justification {
  position: number;
  justifiedAt: string;
  reason: string;
}

export interface MilestoneFacts {
  id: string;
  plannedEnd: PlannedDate;
  status: 'open' | 'completed' | 'cancelled';
  progress: number;
  evidence: number;
  reschedules: Fact[];
  /** CF-02: planned past the commitment's end. */
  pastEnd: Sample[];
  /** CF-06: reports lower than the progress before them. */
  drops: Fact[];
  /** CF-11: every rise in progress. */
  rises: (Fact & { from: number; to: number })[];
  /** CF-09: at 100 % with no evidence. */
  unevidenced: Sample[];
}

export interface BudgetLineFacts {
  id: string;
  approved: number | null;
  executed: number | null;
  /** CF-04: approved amounts lowered. */
  reductions: Fact[];
  /** CF-05: executed above approved. */
  overrun: Sample[];
}

export interface AssessmentFacts extends Fact {
  completion: string;
}

export interface CommitmentFile {
  kind: 'commitment';
  id: string;
  agencyId: string | null;
  registered: boolean;
  status: 'none' | 'draft' | 'published' | 'in_progress' | 'completed' | 'withdrawn';
  endDate: CalendarDate | null;
  /** The event that set the end date in force. */
  endDateSetAt: number | null;
  published: Fact | null;
  completed: Fact | null;
  withdrawn: Fact | null;
  /** The latest business time in the stream so far, in milliseconds (CF-03). */
  lastOccurredMs: number | null;
  /** The recording of the stream's latest event (CF-10). */
  lastRecorded: Fact | null;
  /** `lastRecorded.at` in milliseconds, so each event parses one time less. */
  lastRecordedMs: number;
  milestones: MilestoneFacts[];
  budget: BudgetLineFacts[];
  /** CF-03: events backdated by a day or more, or earlier than the stream's previous event. */
  backdated: (Fact & { recordedAt: string; lagMs: number; beforePrevious: boolean })[];
  /** CF-07: events after completion. */
  afterCompletion: Fact[];
  /** CF-10: silences of 30 days or more while in progress, each ended by an event. */
  silences: { from: Fact; to: Fact }[];
  /** CF-12: the assessments of each report, oldest first (`<kind>/<id>`). */
  assessments: Record<string, AssessmentFacts[]>;
  justifications: Record<string, Justification[]>;
}

export interface EvaluationFile {
  kind: 'evaluation';
  id: string;
  agencyId: string | null;
  commitmentIds: string[];
  submitted: Fact | null;
  dueDate: CalendarDate | null;
  answered: Fact | null;
  justifications: Record<string, Justification[]>;
}

export interface ActionFacts {
  id: string;
  commitmentId: string;
  dueDate: CalendarDate;
  agreed: Fact;
  ended: Fact | null;
}

export interface DialogueFile {
  kind: 'dialogue_space';
  id: string;
  agencyId: string | null;
  commitmentIds: string[];
  spaceKind: string | null;
  convenedAt: string | null;
  startsAt: string | null;
  /** CF-15: the notice given, each time it was set. */
  notices: (Fact & { noticeMs: number })[];
  held: Fact | null;
  cancelled: Fact | null;
  minutes: Fact | null;
  actions: ActionFacts[];
  justifications: Record<string, Justification[]>;
}

export type FlagFile = CommitmentFile | EvaluationFile | DialogueFile;

/** The files by key (`commitment:<id>`, `evaluation:<id>`, `dialogue_space:<id>`). */
export type FlagFiles = Record<string, FlagFile>;

export const DAY_MS = 86_400_000;
/** The fold keeps lags and silences this long or longer (the lowest thresholds allowed). */
const MIN_LAG_MS = DAY_MS;
const MIN_SILENCE_MS = 30 * DAY_MS;

/** The stream of a file's justifications: `red-flag-<file key>`. */
export const JUSTIFICATION_STREAM_PREFIX = 'red-flag-';
export const JUSTIFIED_EVENT = 'RedFlagJustified';
/** The independent assessments' event, as the assessments part of oversight records it. */
export const ASSESSMENT_EVENT = 'IndependentAssessmentRecorded';

type Data = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
/** A calendar day, or null: a rule never reads a date that does not exist. */
const day = (value: unknown): CalendarDate | null => (isCalendarDate(value) ? value : null);
const planned = (value: unknown): PlannedDate | null => (isPlannedDate(value) ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/**
 * The key of the file an event belongs to, or null for events no rule reads. Precondition:
 * none; any event may be given.
 */
export function fileKeyOf(event: FlagSourceEvent): string | null {
  const { stream, type } = event;
  if (stream.startsWith('commitment-')) return `commitment:${stream.slice(11)}`;
  if (stream.startsWith('evaluation-')) return `evaluation:${stream.slice(11)}`;
  if (stream.startsWith('dialogue-space-')) return `dialogue_space:${stream.slice(15)}`;
  if (type === ASSESSMENT_EVENT) {
    const commitmentId = str((event.data as Data).commitmentId);
    return commitmentId === null ? null : `commitment:${commitmentId}`;
  }
  if (type === JUSTIFIED_EVENT && stream.startsWith(JUSTIFICATION_STREAM_PREFIX)) {
    return stream.slice(JUSTIFICATION_STREAM_PREFIX.length);
  }
  return null;
}

/** A new, empty file for `key`; null for a key of no known kind. */
export function emptyFile(key: string): FlagFile | null {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const id = key.slice(colon + 1);
  if (kind === 'commitment') {
    return {
      kind,
      id,
      agencyId: null,
      registered: false,
      status: 'none',
      endDate: null,
      endDateSetAt: null,
      published: null,
      completed: null,
      withdrawn: null,
      lastOccurredMs: null,
      lastRecorded: null,
      lastRecordedMs: 0,
      milestones: [],
      budget: [],
      backdated: [],
      afterCompletion: [],
      silences: [],
      assessments: {},
      justifications: {},
    };
  }
  if (kind === 'evaluation') {
    return {
      kind,
      id,
      agencyId: null,
      commitmentIds: [],
      submitted: null,
      dueDate: null,
      answered: null,
      justifications: {},
    };
  }
  if (kind === 'dialogue_space') {
    return {
      kind,
      id,
      agencyId: null,
      commitmentIds: [],
      spaceKind: null,
      convenedAt: null,
      startsAt: null,
      notices: [],
      held: null,
      cancelled: null,
      minutes: null,
      actions: [],
      justifications: {},
    };
  }
  return null;
}

/**
 * Folds one event into `files`, in place: the files are the fold's own accumulator (a fold
 * over a million events cannot copy them at every step). Events must come in log order; an
 * event no rule reads, or one that does not fit its file, changes nothing.
 */
export function foldEvent(files: FlagFiles, event: FlagSourceEvent): void {
  const key = fileKeyOf(event);
  if (key === null) return;
  let file = files[key];
  if (file === undefined) {
    const fresh = emptyFile(key);
    if (fresh === null) return;
    file = files[key] = fresh;
  }
  const fact: Fact = { at: event.metadata.occurredAt, position: event.position };
  if (event.type === JUSTIFIED_EVENT) {
    justify(file, event.data as Data, fact);
    return;
  }
  if (file.kind === 'commitment') foldCommitment(file, event, fact);
  else if (file.kind === 'evaluation') foldEvaluation(file, event, fact);
  else foldDialogue(file, event, fact);
}

/** Folds a whole log, in order, into new files. */
export function foldAll(events: Iterable<FlagSourceEvent>): FlagFiles {
  const files: FlagFiles = {};
  for (const event of events) foldEvent(files, event);
  return files;
}

function justify(file: FlagFile, data: Data, fact: Fact): void {
  const flagId = str(data.flagId);
  const reason = str(data.reason);
  if (flagId === null || reason === null) return;
  (file.justifications[flagId] ??= []).push({
    position: fact.position,
    justifiedAt: fact.at,
    reason,
  });
}

function foldCommitment(file: CommitmentFile, event: FlagSourceEvent, fact: Fact): void {
  const data = event.data as Data;
  if (event.type === ASSESSMENT_EVENT) {
    const report = data.report as Data | undefined;
    const kind = str(report?.kind);
    const id = str(report?.id);
    const completion = str(data.completion);
    if (kind === null || id === null || completion === null) return;
    (file.assessments[`${kind}/${id}`] ??= []).push({
      at: fact.at,
      position: fact.position,
      completion,
    });
    return;
  }
  trackTimes(file, event, fact);
  if (file.status === 'completed' && event.type !== 'CommitmentCompleted') {
    file.afterCompletion.push(fact);
  }
  switch (event.type) {
    case 'CommitmentRegistered': {
      if (file.registered) return;
      file.registered = true;
      file.status = 'draft';
      file.agencyId = str((data.leadAgency as Data | undefined)?.id);
      setEndDate(file, day(data.endDate), fact);
      return;
    }
    case 'CommitmentRevised': {
      const changes = (data.changes ?? {}) as Data;
      if (changes.leadAgency !== undefined) {
        file.agencyId = str((changes.leadAgency as Data).id) ?? file.agencyId;
      }
      if (day(changes.endDate) !== null) setEndDate(file, day(changes.endDate), fact);
      return;
    }
    case 'CommitmentPublished':
      if (file.status === 'draft') {
        file.status = 'published';
        file.published = fact;
      }
      return;
    case 'CommitmentStarted':
      if (file.status === 'published') file.status = 'in_progress';
      return;
    case 'CommitmentCompleted':
      if (file.status === 'in_progress') {
        file.status = 'completed';
        file.completed = fact;
      }
      return;
    case 'CommitmentWithdrawn':
      if (file.status !== 'completed' && file.status !== 'withdrawn') {
        file.status = 'withdrawn';
        file.withdrawn = fact;
      }
      return;
    case 'MilestoneAdded': {
      const id = str(data.milestoneId);
      const plannedEnd = planned(data.plannedEnd);
      if (id === null || plannedEnd === null || file.milestones.some((m) => m.id === id)) return;
      const milestone: MilestoneFacts = {
        id,
        plannedEnd,
        status: 'open',
        progress: 0,
        evidence: 0,
        reschedules: [],
        pastEnd: [],
        drops: [],
        rises: [],
        unevidenced: [],
      };
      file.milestones.push(milestone);
      samplePastEnd(file, milestone, fact);
      return;
    }
    case 'MilestoneRescheduled': {
      const milestone = milestoneOf(file, data);
      const plannedEnd = planned(data.plannedEnd);
      if (milestone === undefined || plannedEnd === null || milestone.status !== 'open') return;
      milestone.reschedules.push(fact);
      milestone.plannedEnd = plannedEnd;
      samplePastEnd(file, milestone, fact);
      return;
    }
    case 'MilestoneProgressReported': {
      const milestone = milestoneOf(file, data);
      const percent = num(data.percent);
      if (milestone === undefined || percent === null || milestone.status !== 'open') return;
      progress(milestone, percent, evidenceCount(data), fact);
      return;
    }
    case 'MilestoneCompleted': {
      const milestone = milestoneOf(file, data);
      if (milestone === undefined || milestone.status !== 'open') return;
      progress(milestone, 100, evidenceCount(data), fact);
      milestone.status = 'completed';
      return;
    }
    case 'MilestoneCancelled': {
      const milestone = milestoneOf(file, data);
      if (milestone === undefined || milestone.status !== 'open') return;
      milestone.status = 'cancelled';
      samplePastEnd(file, milestone, fact);
      sample(milestone.unevidenced, false, fact);
      return;
    }
    case 'BudgetRecorded':
      budget(file, data, fact);
      return;
    default:
      return;
  }
}

/** CF-03 and CF-10 read every event of the commitment's stream. */
function trackTimes(file: CommitmentFile, event: FlagSourceEvent, fact: Fact): void {
  const recordedAt = event.metadata.recordedAt;
  const recordedMs = instantMs(recordedAt);
  const occurredMs = instantMs(fact.at);
  const lagMs = recordedMs - occurredMs;
  const beforePrevious = file.lastOccurredMs !== null && occurredMs < file.lastOccurredMs;
  if (lagMs >= MIN_LAG_MS || beforePrevious) {
    file.backdated.push({
      at: fact.at,
      position: fact.position,
      recordedAt,
      lagMs,
      beforePrevious,
    });
  }
  const recorded: Fact = { at: recordedAt, position: fact.position };
  if (file.status === 'in_progress' && file.lastRecorded !== null) {
    if (recordedMs - file.lastRecordedMs >= MIN_SILENCE_MS) {
      file.silences.push({ from: file.lastRecorded, to: recorded });
    }
  }
  file.lastRecorded = recorded;
  file.lastRecordedMs = recordedMs;
  if (file.lastOccurredMs === null || occurredMs > file.lastOccurredMs) {
    file.lastOccurredMs = occurredMs;
  }
}

function setEndDate(file: CommitmentFile, endDate: string | null, fact: Fact): void {
  if (endDate === null) return;
  file.endDate = endDate;
  file.endDateSetAt = fact.position;
  for (const milestone of file.milestones) samplePastEnd(file, milestone, fact);
}

function samplePastEnd(file: CommitmentFile, milestone: MilestoneFacts, fact: Fact): void {
  const on =
    milestone.status !== 'cancelled' &&
    file.endDate !== null &&
    lastDayOf(milestone.plannedEnd) > file.endDate;
  sample(milestone.pastEnd, on, fact);
}

/** Records a change of a condition; a sample that changes nothing is not kept. */
function sample(samples: Sample[], on: boolean, fact: Fact): void {
  const current = samples.length > 0 && samples[samples.length - 1].on;
  if (current !== on) samples.push({ at: fact.at, position: fact.position, on });
}

function milestoneOf(file: CommitmentFile, data: Data): MilestoneFacts | undefined {
  const id = str(data.milestoneId);
  return file.milestones.find((m) => m.id === id);
}

function evidenceCount(data: Data): number {
  return Array.isArray(data.evidence) ? data.evidence.length : 0;
}

function progress(milestone: MilestoneFacts, percent: number, evidence: number, fact: Fact): void {
  if (percent < milestone.progress) milestone.drops.push(fact);
  if (percent > milestone.progress) {
    milestone.rises.push({
      at: fact.at,
      position: fact.position,
      from: milestone.progress,
      to: percent,
    });
  }
  milestone.progress = percent;
  milestone.evidence += evidence;
  sample(milestone.unevidenced, percent === 100 && milestone.evidence === 0, fact);
}

function budget(file: CommitmentFile, data: Data, fact: Fact): void {
  const id = str(data.lineId);
  const phase = str(data.phase);
  const amount = num(data.amountCop);
  if (id === null || amount === null) return;
  let line = file.budget.find((l) => l.id === id);
  if (line === undefined) {
    line = { id, approved: null, executed: null, reductions: [], overrun: [] };
    file.budget.push(line);
  }
  if (phase === 'approved') {
    if (line.approved !== null && amount < line.approved) line.reductions.push(fact);
    line.approved = amount;
  } else if (phase === 'executed') {
    line.executed = amount;
  } else {
    return;
  }
  const over = line.approved !== null && line.executed !== null && line.executed > line.approved;
  sample(line.overrun, over, fact);
}

function targetCommitment(target: unknown): string[] {
  const commitmentId = str((target as Data | undefined)?.commitmentId);
  return commitmentId === null ? [] : [commitmentId];
}

function foldEvaluation(file: EvaluationFile, event: FlagSourceEvent, fact: Fact): void {
  const data = event.data as Data;
  if (event.type === 'EvaluationSubmitted' && file.submitted === null) {
    file.submitted = fact;
    file.agencyId = str(data.agencyId);
    file.dueDate = day(data.dueDate);
    file.commitmentIds = targetCommitment(data.target);
  } else if (event.type === 'EvaluationAnswered' && file.answered === null) {
    file.answered = fact;
  }
}

function foldDialogue(file: DialogueFile, event: FlagSourceEvent, fact: Fact): void {
  const data = event.data as Data;
  switch (event.type) {
    case 'DialogueSpaceConvened':
      file.agencyId = str(data.agencyId);
      file.commitmentIds = Array.isArray(data.commitmentIds)
        ? data.commitmentIds.filter((id): id is string => typeof id === 'string')
        : [];
      file.spaceKind = str(data.kind);
      file.convenedAt = str(data.convenedAt);
      file.startsAt = str(data.startsAt);
      notice(file, fact);
      return;
    case 'DialogueSpaceRevised': {
      const changes = (data.changes ?? {}) as Data;
      file.spaceKind = str(changes.kind) ?? file.spaceKind;
      if (Array.isArray(changes.commitmentIds)) {
        file.commitmentIds = changes.commitmentIds.filter(
          (id): id is string => typeof id === 'string',
        );
      }
      const convenedAt = str(changes.convenedAt);
      const startsAt = str(changes.startsAt);
      if (convenedAt !== null || startsAt !== null) {
        file.convenedAt = convenedAt ?? file.convenedAt;
        file.startsAt = startsAt ?? file.startsAt;
        notice(file, fact);
      }
      return;
    }
    case 'DialogueSpaceHeld':
      file.held ??= fact;
      return;
    case 'DialogueSpaceCancelled':
      file.cancelled ??= fact;
      return;
    case 'AttendanceRecorded':
      if (data.minutes !== undefined && data.minutes !== null) file.minutes ??= fact;
      return;
    case 'ImprovementActionAgreed': {
      const id = str(data.actionId);
      const commitmentId = str(data.commitmentId);
      const dueDate = day(data.dueDate);
      if (id === null || commitmentId === null || dueDate === null) return;
      if (file.actions.some((a) => a.id === id)) return;
      file.actions.push({ id, commitmentId, dueDate, agreed: fact, ended: null });
      return;
    }
    case 'ImprovementActionReported': {
      const action = file.actions.find((a) => a.id === data.actionId);
      if (action === undefined || action.ended !== null) return;
      if (data.status === 'completed' || data.status === 'cancelled') action.ended = fact;
      return;
    }
    default:
      return;
  }
}

function notice(file: DialogueFile, fact: Fact): void {
  if (file.convenedAt === null || file.startsAt === null) return;
  const noticeMs = Date.parse(file.startsAt) - Date.parse(file.convenedAt);
  // A time that does not parse gives no notice to judge (and NaN has no JSON form).
  if (Number.isFinite(noticeMs))
    file.notices.push({ at: fact.at, position: fact.position, noticeMs });
}

const digit = (text: string, i: number): number => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1e9;
};

/**
 * `Date.parse(text)`, read directly when `text` has the form toISOString writes
 * (2023-01-10T00:01:00.000Z) with a day of the month up to 28, which Date.parse reads the
 * same way for every year; about three times faster, and the fold parses two per event.
 */
export function instantMs(text: string): number {
  if (
    text.length === 24 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(19) === 46 &&
    text.charCodeAt(23) === 90
  ) {
    const year =
      digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
    const month = digit(text, 5) * 10 + digit(text, 6);
    const day = digit(text, 8) * 10 + digit(text, 9);
    const hour = digit(text, 11) * 10 + digit(text, 12);
    const minute = digit(text, 14) * 10 + digit(text, 15);
    const second = digit(text, 17) * 10 + digit(text, 18);
    const milli = digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22);
    if (
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 28 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      milli >= 0
    ) {
      // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
      const y = month <= 2 ? year - 1 : year;
      const era = Math.floor(y / 400);
      const yearOfEra = y - era * 400;
      const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
      const dayOfEra =
        yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
      const days = era * 146_097 + dayOfEra - 719_468;
      return days * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli;
    }
  }
  return Date.parse(text);
}
