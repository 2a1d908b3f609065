import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { canonicalize } from '#ledger';
import { DEFAULT_THRESHOLDS, evaluateAll, foldAll, type FlagSourceEvent } from '../domain/index.js';

// The recount in worker threads must give what one fold in one thread gives: the same flags
// in the same order, and the same first unreadable line. The workers run the build (a worker
// thread loads its own module from dist), so these tests load the built recount too.

type Offline = typeof import('../../red-flags.js');
type EventLine = typeof import('./event-line.js');
type Parallel = typeof import('./parallel-flags.js');
type Lines = typeof import('./event-lines.js');

const built = <T>(file: string): Promise<T> =>
  import(pathToFileURL(path.resolve('dist/libs/oversight/src', file)).href) as Promise<T>;

const AS_OF = '2026-01-01T00:00:00.000Z';
const COMMITMENTS = 60;

const at = (day: number, minute = 0) =>
  new Date(Date.UTC(2025, 0, 1) + day * 86_400_000 + minute * 60_000).toISOString();

/**
 * A log of many commitments whose events interleave, tripping most rules, with evaluations,
 * dialogue spaces, independent assessments (in their own streams), justifications (one
 * before its commitment's first event), and events no rule reads.
 */
function multiCommitmentLog(): FlagSourceEvent[] {
  const events: FlagSourceEvent[] = [];
  const add = (stream: string, type: string, occurredAt: string, data: object, lag = 1) =>
    events.push({
      position: events.length,
      stream,
      type,
      data,
      metadata: {
        occurredAt,
        recordedAt: new Date(Date.parse(occurredAt) + lag * 60_000).toISOString(),
      },
    });
  add('red-flag-commitment:c3', 'RedFlagJustified', at(0), {
    flagId: 'CF-06/commitment:c3/milestone:m1#1',
    reason: 'la cifra anterior estaba mal',
  });
  add('action-plan-p1', 'ActionPlanRegistered', at(0), { actionPlanId: 'p1' });
  const ids = Array.from({ length: COMMITMENTS }, (_, i) => `c${i}`);
  for (const [i, c] of ids.entries()) {
    add(`commitment-${c}`, 'CommitmentRegistered', at(i % 5), {
      commitmentId: c,
      startDate: '2025-02-01',
      endDate: i % 4 === 0 ? '2025-05-31' : '2025-12-31',
      leadAgency: { id: `agency-${i % 3}`, name: 'Secretaría', offices: [] },
    });
  }
  for (const [i, c] of ids.entries()) {
    const stream = `commitment-${c}`;
    add(stream, 'MilestoneAdded', at(5), {
      commitmentId: c,
      milestoneId: 'm1',
      plannedStart: '2025-02',
      plannedEnd: i % 6 === 0 ? '2026-03' : '2025-05',
    });
    add(stream, 'CommitmentPublished', at(6), { commitmentId: c });
    add(stream, 'BudgetRecorded', at(7), {
      commitmentId: c,
      lineId: 'l1',
      phase: 'approved',
      amountCop: 1000,
    });
  }
  for (let step = 0; step < 8; step++) {
    for (const [i, c] of ids.entries()) {
      const stream = `commitment-${c}`;
      const day = 30 + step * 20 + (i % 7);
      if (step === 0) add(stream, 'CommitmentStarted', at(day), { commitmentId: c });
      const percent = Math.min(100, 15 * (step + 1)) - (step === 3 && i % 3 === 0 ? 40 : 0);
      add(
        stream,
        'MilestoneProgressReported',
        at(day, 1),
        {
          commitmentId: c,
          milestoneId: 'm1',
          percent,
          evidence: i % 5 === 0 ? [] : [{ kind: 'link' }],
        },
        step === 5 && i % 8 === 0 ? 10 * 24 * 60 : 1,
      );
      if ((step === 2 || (step === 4 && i % 8 === 1)) && i % 4 === 1) {
        add(stream, 'MilestoneRescheduled', at(day, 2), {
          commitmentId: c,
          milestoneId: 'm1',
          plannedStart: '2025-03',
          plannedEnd: '2025-07',
          reason: 'lluvias',
        });
      }
      if (step === 4 && i % 5 === 2) {
        add(stream, 'BudgetRecorded', at(day, 3), {
          commitmentId: c,
          lineId: 'l1',
          phase: 'approved',
          amountCop: 700,
        });
      }
      if (step === 7 && i % 2 === 0) {
        add(stream, 'CommitmentCompleted', at(day, 4), { commitmentId: c });
      }
    }
    add(`assessment-a${step}`, 'IndependentAssessmentRecorded', at(200 + step), {
      assessmentId: `a${step}`,
      commitmentId: `c${step * 2}`,
      report: { kind: 'results_report', id: 'r2025' },
      completion: 'limited',
    });
  }
  add('evaluation-e1', 'EvaluationSubmitted', at(40), {
    evaluationId: 'e1',
    target: { kind: 'commitment', commitmentId: 'c1' },
    agencyId: 'agency-1',
    dueDate: '2025-03-01',
  });
  add('dialogue-space-d1', 'DialogueSpaceConvened', at(41), {
    dialogueSpaceId: 'd1',
    agencyId: 'agency-1',
    kind: 'public_hearing',
    convenedAt: at(41),
    startsAt: at(45),
    commitmentIds: ['c1', 'c2'],
  });
  add('dialogue-space-d1', 'DialogueSpaceHeld', at(45), { dialogueSpaceId: 'd1' });
  add('red-flag-evaluation:e1', 'RedFlagJustified', at(50), {
    flagId: 'CF-13/evaluation:e1#1',
    reason: 'respondida por correo',
  });
  return events;
}

const lineOf = (event: FlagSourceEvent) => canonicalize(event as never);

describe('the offline recount in worker threads', () => {
  let dir: string;
  let offline: Offline;
  let eventLine: EventLine;
  let parallel: Parallel;
  let lines: Lines;
  const events = multiCommitmentLog();

  /** Writes events.jsonl of a bundle folder named `name` and returns the folder. */
  async function bundle(name: string, text: string): Promise<string> {
    const folder = path.join(dir, name);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder);
    await writeFile(path.join(folder, 'events.jsonl'), text);
    return folder;
  }

  const recount = (folder: string, workers: number) =>
    offline.flagsFromExport({ dir: folder, asOf: AS_OF, thresholds: DEFAULT_THRESHOLDS, workers });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-flags-'));
    offline = await built<Offline>('red-flags.js');
    eventLine = await built<EventLine>('red-flags/offline/event-line.js');
    parallel = await built<Parallel>('red-flags/offline/parallel-flags.js');
    lines = await built<Lines>('red-flags/offline/event-lines.js');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the flags of one fold in one thread, in its order, with 1, 2 or 3 workers', async () => {
    const expected = evaluateAll(foldAll(events), AS_OF, DEFAULT_THRESHOLDS);
    const rules = new Set(expected.map((flag) => flag.rule));
    expect([...rules].sort()).toEqual([
      'CF-01',
      'CF-02',
      'CF-03',
      'CF-04',
      'CF-06',
      'CF-08',
      'CF-09',
      'CF-10',
      'CF-12',
      'CF-13',
      'CF-15',
      'CF-16',
    ]);
    expect(expected.some((flag) => flag.justifications.length > 0)).toBe(true);
    const folder = await bundle('many', events.map((e) => `${lineOf(e)}\n`).join(''));
    const file = path.join(folder, 'events.jsonl');
    for (const workers of [0, 1, 2, 3]) {
      const result = await recount(folder, workers);
      expect(result.events).toBe(events.length);
      expect(JSON.stringify(result.flags)).toBe(JSON.stringify(expected));
    }
    for (const workers of [1, 2, 3]) {
      // The workers answered: no fallback to one thread.
      const inWorkers = await parallel.flagsInWorkers({
        file,
        asOf: AS_OF,
        thresholds: DEFAULT_THRESHOLDS,
        workers,
      });
      expect(inWorkers?.flags).toEqual(expected);
    }
  });

  it('spreads the commitments over the workers, each commitment whole in one', () => {
    const parts = new Set(
      Array.from({ length: COMMITMENTS }, (_, i) => eventLine.partitionOf(`commitment:c${i}`, 2)),
    );
    expect([...parts].sort()).toEqual([0, 1]);
    for (const event of events) {
      const line = lineOf(event);
      const guess = eventLine.fileOfLine(line);
      const bytes = Buffer.from(`x\n${line}\n`);
      const byBytes = eventLine.partitionOfBytes(bytes, 2, bytes.length - 1, 3);
      expect(byBytes).toBe(guess === null ? -1 : eventLine.partitionOf(guess.key, 3));
    }
  });

  it('names the first unreadable line, whichever worker reads it', async () => {
    const text = events.map((e) => lineOf(e));
    // Two bad lines of commitments that two workers fold: the first is the one named.
    const [first, second] = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']
      .map((c) => ({ c, part: eventLine.partitionOf(`commitment:${c}`, 2) }))
      .reduce<{ c: string; part: number }[]>(
        (picked, next) => (picked.some((p) => p.part === next.part) ? picked : [...picked, next]),
        [],
      );
    text.splice(300, 0, `{"data":{},"stream":"commitment-${second.c}","type":"MilestoneAdded"}`);
    text.splice(120, 0, `{"data":{"commitmentId":"${first.c}"},"stream":"commitment-${first.c}"`);
    const folder = await bundle('bad', text.map((line) => `${line}\n`).join(''));
    for (const workers of [0, 1, 2, 3]) {
      await expect(recount(folder, workers)).rejects.toThrow(
        new offline.UnreadableEventLine(121, 'is not JSON'),
      );
    }
    const envelope = await bundle(
      'envelope',
      text
        .filter((_, i) => i !== 120)
        .map((line) => `${line}\n`)
        .join(''),
    );
    for (const workers of [0, 2]) {
      await expect(recount(envelope, workers)).rejects.toThrow(
        'events.jsonl line 301: is not an event envelope',
      );
    }
  });

  it('falls back to one thread when a line names another stream in its text than its event', async () => {
    // Not canonical JSON: the envelope's stream first, another commitment's, in the data, last.
    const own = 'c0';
    const other = ['c1', 'c2', 'c3', 'c4', 'c5'].find(
      (c) =>
        eventLine.partitionOf(`commitment:${c}`, 2) !==
        eventLine.partitionOf(`commitment:${own}`, 2),
    );
    const misleading = ({ stream, ...event }: FlagSourceEvent) =>
      JSON.stringify({
        stream,
        ...event,
        data: { ...event.data, x: { stream: `commitment-${other}` } },
      });
    const text = events.map((event) =>
      event.stream === `commitment-${own}` ? misleading(event) : lineOf(event),
    );
    const folder = await bundle('misleading', text.map((line) => `${line}\n`).join(''));
    expect(
      await parallel.flagsInWorkers({
        file: path.join(folder, 'events.jsonl'),
        asOf: AS_OF,
        thresholds: DEFAULT_THRESHOLDS,
        workers: 2,
      }),
    ).toBeNull();
    const expected = evaluateAll(foldAll(events), AS_OF, DEFAULT_THRESHOLDS);
    expect((await recount(folder, 2)).flags).toEqual(expected);
  });

  it('splits lines as readline does, whatever ends them', async () => {
    const text = 'a\r\nb\rc\n\n\u00e9\u00e8\r\r\nd\n\r\n\re\rf';
    const file = path.join(await bundle('lines', text), 'events.jsonl');
    const expected: string[] = [];
    const input = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    input.on('line', (line) => expected.push(line));
    await once(input, 'close');
    const read: string[] = [];
    const count = await lines.forEachLine(file, (line) => void read.push(line));
    expect(read).toEqual(expected);
    expect(count).toBe(expected.length);
    const skipped: string[] = [];
    await lines.forEachLine(
      file,
      (line) => void skipped.push(line),
      () => true,
    );
    expect(skipped).toEqual(expected);
  });
});
