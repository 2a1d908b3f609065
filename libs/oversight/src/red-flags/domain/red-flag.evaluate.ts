import {
  DAY_MS,
  instantMs,
  type CommitmentFile,
  type DialogueFile,
  type EvaluationFile,
  type Fact,
  type FlagFile,
  type FlagFiles,
  type Justification,
  type Sample,
} from './red-flag.fold.js';
import { RULES, type RuleCode, type Thresholds } from './red-flag.rules.js';

export const SUBJECT_KINDS = [
  'commitment',
  'milestone',
  'budget_line',
  'evaluation',
  'dialogue_space',
  'improvement_action',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface FlagSubject {
  kind: SubjectKind;
  id: string;
  /** The commitments it concerns (a dialogue space may concern several; an evaluation none). */
  commitmentIds: string[];
}

/**
 * One red flag. `id` is stable (rule, file, subject and which raising of it), so a
 * justification stays attached to it; `evidence` are the log positions of the events that
 * raised it (and closed it), whose inclusion proofs anyone can fetch.
 */
export interface RedFlag {
  id: string;
  rule: RuleCode;
  ruleVersion: number;
  subject: FlagSubject;
  raisedAt: string;
  closedAt: string | null;
  state: 'open' | 'closed';
  evidence: number[];
  justifications: Justification[];
}

const VERSIONS = new Map(RULES.map((rule) => [rule.code, rule.version]));
const BAD_COMPLETION = new Set(['not_started', 'limited']);

/** Bogotá keeps UTC-5 all year: a day ends at 05:00 UTC of the next. */
const BOGOTA_OFFSET_MS = 5 * 3_600_000;

/** The instant a calendar day (in Bogotá) ends, as an ISO-8601 instant. */
export function endOfDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1) + BOGOTA_OFFSET_MS).toISOString();
}

/** The instant a calendar day (in Bogotá) starts. */
function startOfDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d) + BOGOTA_OFFSET_MS;
}

const plusDays = (at: string, days: number): string =>
  new Date(Date.parse(at) + days * DAY_MS).toISOString();

const ms = instantMs;

interface Episode {
  raisedAt: string;
  closedAt: string | null;
  evidence: number[];
}

/** A flag per raising, numbered from 1 in the order they were raised. */
class Flags {
  readonly list: RedFlag[] = [];

  constructor(
    private readonly fileKey: string,
    private readonly file: FlagFile,
  ) {}

  add(rule: RuleCode, subject: FlagSubject, part: string, episodes: Episode[]): void {
    episodes.forEach((episode, i) => {
      const id = `${rule}/${this.fileKey}${part === '' ? '' : `/${part}`}#${i + 1}`;
      this.list.push({
        id,
        rule,
        ruleVersion: VERSIONS.get(rule) ?? 0,
        subject,
        raisedAt: episode.raisedAt,
        closedAt: episode.closedAt,
        state: episode.closedAt === null ? 'open' : 'closed',
        evidence: ascending(episode.evidence)
          ? episode.evidence.slice()
          : [...new Set(episode.evidence)].sort((a, b) => a - b),
        justifications: this.file.justifications[id] ?? [],
      });
    });
  }
}

/** Whether each position is above the one before: then sorting and deduplicating keep all. */
function ascending(positions: readonly number[]): boolean {
  for (let i = 1; i < positions.length; i++) if (!(positions[i] > positions[i - 1])) return false;
  return true;
}

/** The episodes of a condition sampled at events: raised when it turns on, closed when off. */
function episodesOf(samples: readonly Sample[], extra: readonly number[] = []): Episode[] {
  const episodes: Episode[] = [];
  let open: Episode | undefined;
  for (const s of samples) {
    if (s.on && open === undefined) {
      open = { raisedAt: s.at, closedAt: null, evidence: [...extra, s.position] };
      episodes.push(open);
    } else if (!s.on && open !== undefined) {
      open.closedAt = s.at;
      open.evidence.push(s.position);
      open = undefined;
    }
  }
  return episodes;
}

/** One open flag raised at the first fact, with every fact as its evidence; none if no facts. */
function occurrences(facts: readonly Fact[]): Episode[] {
  if (facts.length === 0) return [];
  return [{ raisedAt: facts[0].at, closedAt: null, evidence: facts.map((f) => f.position) }];
}

/**
 * A deadline's flag: raised when `deadline` passed without `ended`; closed when `ended` came
 * after it. Open only once `asOf` has reached the deadline.
 */
function overdue(
  deadline: string,
  ended: Fact | null,
  asOf: string,
  evidence: number[],
): Episode[] {
  if (ended !== null) {
    return ms(ended.at) > ms(deadline)
      ? [{ raisedAt: deadline, closedAt: ended.at, evidence: [...evidence, ended.position] }]
      : [];
  }
  return ms(asOf) >= ms(deadline) ? [{ raisedAt: deadline, closedAt: null, evidence }] : [];
}

/**
 * Every flag of one file as of `asOf` (an ISO-8601 instant), under `thresholds`. Pure: the
 * same file, time and thresholds always give the same flags, in the same order.
 */
export function evaluateFile(
  fileKey: string,
  file: FlagFile,
  asOf: string,
  thresholds: Thresholds,
): RedFlag[] {
  const flags = new Flags(fileKey, file);
  if (file.kind === 'commitment') commitmentFlags(flags, file, asOf, thresholds);
  else if (file.kind === 'evaluation') evaluationFlags(flags, file, asOf);
  else dialogueFlags(flags, file, asOf, thresholds);
  return flags.list;
}

/** Newest raised first; ties by id, so the order is total. */
export function compareFlags(a: RedFlag, b: RedFlag): number {
  const byTime = ms(b.raisedAt) - ms(a.raisedAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Sorts flags in `compareFlags` order, parsing each time once. */
export function sortFlags(flags: RedFlag[]): RedFlag[] {
  const keyed = flags.map((flag) => ({ time: ms(flag.raisedAt), flag }));
  keyed.sort((a, b) =>
    a.time !== b.time
      ? b.time - a.time
      : a.flag.id < b.flag.id
        ? -1
        : a.flag.id > b.flag.id
          ? 1
          : 0,
  );
  return keyed.map((entry) => entry.flag);
}

/** Every flag of every file, newest raised first. */
export function evaluateAll(files: FlagFiles, asOf: string, thresholds: Thresholds): RedFlag[] {
  const all: RedFlag[] = [];
  for (const key of Object.keys(files)) {
    for (const flag of evaluateFile(key, files[key], asOf, thresholds)) all.push(flag);
  }
  return sortFlags(all);
}

function commitmentFlags(flags: Flags, file: CommitmentFile, asOf: string, t: Thresholds): void {
  // Assessments of a commitment never registered in this log have nothing to contradict.
  if (!file.registered) return;
  const c = file.id;
  const commitment: FlagSubject = { kind: 'commitment', id: c, commitmentIds: [c] };

  const windowStart =
    file.endDate === null ? 0 : startOfDay(file.endDate) - (t.lastMonthDays - 1) * DAY_MS;
  for (const m of file.milestones) {
    const subject: FlagSubject = { kind: 'milestone', id: m.id, commitmentIds: [c] };
    const part = `milestone:${m.id}`;
    if (m.reschedules.length > t.maxReschedules) {
      const raising = m.reschedules[t.maxReschedules];
      flags.add('CF-01', subject, part, [
        { raisedAt: raising.at, closedAt: null, evidence: m.reschedules.map((f) => f.position) },
      ]);
    }
    flags.add('CF-02', subject, part, episodesOf(m.pastEnd));
    flags.add('CF-06', subject, part, occurrences(m.drops));
    flags.add('CF-09', subject, part, episodesOf(m.unevidenced));
    if (file.endDate !== null) {
      const jumps = m.rises.filter(
        (r) => r.to - r.from >= t.lastMonthJumpPoints && ms(r.at) >= windowStart,
      );
      flags.add('CF-11', subject, part, occurrences(jumps));
    }
  }

  flags.add(
    'CF-03',
    commitment,
    'retroactive',
    occurrences(
      file.backdated.filter((b) => b.beforePrevious || b.lagMs > t.retroactiveDays * DAY_MS),
    ),
  );

  for (const line of file.budget) {
    const subject: FlagSubject = { kind: 'budget_line', id: line.id, commitmentIds: [c] };
    const part = `line:${line.id}`;
    flags.add('CF-04', subject, part, occurrences(line.reductions));
    flags.add('CF-05', subject, part, episodesOf(line.overrun));
  }

  flags.add('CF-07', commitment, '', occurrences(file.afterCompletion));

  // CF-08: the end date in force has passed while published or in progress.
  if (file.endDate !== null && file.published !== null) {
    const deadline = endOfDay(file.endDate);
    const ended = file.completed ?? file.withdrawn;
    const evidence = file.endDateSetAt === null ? [] : [file.endDateSetAt];
    flags.add('CF-08', commitment, '', overdue(deadline, ended, asOf, evidence));
  }

  // CF-09 for the commitment: completed with no evidence on any milestone.
  if (file.completed !== null && file.milestones.every((m) => m.evidence === 0)) {
    flags.add('CF-09', commitment, '', occurrences([file.completed]));
  }

  // CF-10: silences while in progress, the closed ones and the one running at `asOf`.
  const silences: Episode[] = file.silences
    .filter((s) => ms(s.to.at) - ms(s.from.at) >= t.inactivityDays * DAY_MS)
    .map((s) => ({
      raisedAt: plusDays(s.from.at, t.inactivityDays),
      closedAt: s.to.at,
      evidence: [s.from.position, s.to.position],
    }));
  if (file.status === 'in_progress' && file.lastRecorded !== null) {
    const raisedAt = plusDays(file.lastRecorded.at, t.inactivityDays);
    if (ms(asOf) >= ms(raisedAt)) {
      silences.push({ raisedAt, closedAt: null, evidence: [file.lastRecorded.position] });
    }
  }
  flags.add('CF-10', commitment, 'inactive', silences);

  // CF-12: each results report's latest assessment rates the completed commitment not started
  // or limited. An action plan review rates the design before implementation, so its
  // completion rating cannot contradict a completion reported later.
  if (file.completed !== null) {
    const completed = file.completed;
    for (const report of Object.keys(file.assessments).sort()) {
      if (!report.startsWith('results_report/')) continue;
      const samples: Sample[] = file.assessments[report].map((a) => ({
        at: ms(a.at) > ms(completed.at) ? a.at : completed.at,
        position: a.position,
        on: BAD_COMPLETION.has(a.completion),
      }));
      flags.add(
        'CF-12',
        commitment,
        `report:${report}`,
        episodesOf(dedupe(samples), [completed.position]),
      );
    }
  }
}

/** Consecutive samples with the same value as the one before are not changes. */
function dedupe(samples: Sample[]): Sample[] {
  return samples.filter((s, i) => (i === 0 ? s.on : s.on !== samples[i - 1].on));
}

function evaluationFlags(flags: Flags, file: EvaluationFile, asOf: string): void {
  if (file.submitted === null || file.dueDate === null) return;
  const subject: FlagSubject = {
    kind: 'evaluation',
    id: file.id,
    commitmentIds: file.commitmentIds,
  };
  flags.add(
    'CF-13',
    subject,
    '',
    overdue(endOfDay(file.dueDate), file.answered, asOf, [file.submitted.position]),
  );
}

function dialogueFlags(flags: Flags, file: DialogueFile, asOf: string, t: Thresholds): void {
  const space: FlagSubject = {
    kind: 'dialogue_space',
    id: file.id,
    commitmentIds: file.commitmentIds,
  };
  const minNoticeMs = t.minNoticeDays * DAY_MS;
  flags.add(
    'CF-15',
    space,
    '',
    episodesOf(dedupe(file.notices.map((n) => ({ ...n, on: n.noticeMs < minNoticeMs })))),
  );
  if (file.spaceKind === 'public_hearing' && file.held !== null) {
    flags.add(
      'CF-16',
      space,
      '',
      overdue(plusDays(file.held.at, t.minutesDays), file.minutes, asOf, [file.held.position]),
    );
  }
  for (const action of file.actions) {
    const subject: FlagSubject = {
      kind: 'improvement_action',
      id: action.id,
      commitmentIds: [action.commitmentId],
    };
    flags.add(
      'CF-14',
      subject,
      `action:${action.id}`,
      overdue(endOfDay(action.dueDate), action.ended, asOf, [action.agreed.position]),
    );
  }
}
