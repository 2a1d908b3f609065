import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { canonicalize } from '#ledger';
import { DEFAULT_THRESHOLDS, flagsFromExport } from '#oversight/red-flags';
import { cartagena2023, cartagena2023Milestones } from '../../libs/commitments/demo/index.js';

export interface RedFlagResults {
  events: number;
  commitments: number;
  bytes: number;
  /** Reading and parsing every line of events.jsonl, nothing else: the baseline. */
  parse: Round[];
  /** `flagsFromExport` in this thread (`--workers 0`). */
  flags: Round[];
  /** `flagsFromExport` in this thread and `workers` worker threads, as `cuenta flags` runs it. */
  parallel: Round[];
  /** Worker threads of the parallel recount besides this one: as `cuenta flags` by default. */
  workers: number;
  cpus: number;
  /** The machine's 1-minute load average before each round and after the last. */
  load: number[];
  flagCount: number;
}

/**
 * One timed run: wall seconds, and the process's CPU seconds (user + system, of every thread,
 * workers included), which other work on a shared machine inflates far less than the wall
 * clock.
 */
export interface Round {
  seconds: number;
  cpuSeconds: number;
  perSecond: number;
  perCpuSecond: number;
}

async function timed(events: () => Promise<number>): Promise<Round> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const count = await events();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { seconds, cpuSeconds, perSecond: count / seconds, perCpuSecond: count / cpuSeconds };
}

const EVIDENCE = {
  description: 'Informe de avance publicado en el portal del Distrito',
  kind: 'link',
  mediaType: 'application/pdf',
  sha256: 'b'.repeat(64),
  url: 'https://cartagena.gov.co/rendicion-de-cuentas/informe.pdf',
};

const day = (n: number) => new Date(Date.UTC(2023, 0, 10) + n * 86_400_000).toISOString();

/**
 * One commitment's events, `perCommitment` of them: the Cartagena template registered with
 * its seven milestones, published, budgeted, a reschedule, then progress reports with
 * evidence (one going backwards) over the year; every tenth commitment is completed.
 */
function eventsOf(i: number, perCommitment: number): { type: string; data: object; at: string }[] {
  const commitmentId = `c${String(i).padStart(6, '0')}`;
  const id = { commitmentId };
  const events: { type: string; data: object; at: string }[] = [
    {
      type: 'CommitmentRegistered',
      data: {
        ...cartagena2023,
        ...id,
        code: `CTG-${i}`,
        leadAgency: { ...cartagena2023.leadAgency, id: `agency-${i % 40}` },
        registeredAt: day(0),
      },
      at: day(0),
    },
    ...cartagena2023Milestones.map((m) => ({
      type: 'MilestoneAdded',
      data: { ...id, ...m },
      at: day(0),
    })),
    { type: 'CommitmentPublished', data: { ...id, publishedAt: day(5) }, at: day(5) },
    {
      type: 'BudgetRecorded',
      data: {
        ...id,
        lineId: 'l1',
        phase: 'approved',
        amountCop: 150_000_000,
        fundingSource: 'Recursos propios',
      },
      at: day(6),
    },
    {
      type: 'BudgetRecorded',
      data: { ...id, lineId: 'l2', phase: 'approved', amountCop: 90_000_000, fundingSource: 'SGP' },
      at: day(6),
    },
    {
      type: 'MilestoneProgressReported',
      data: { ...id, milestoneId: 'm1', percent: 5, reportedAt: day(20), evidence: [EVIDENCE] },
      at: day(20),
    },
    { type: 'CommitmentStarted', data: { ...id, startedAt: day(20) }, at: day(20) },
    {
      type: 'MilestoneRescheduled',
      data: {
        ...id,
        milestoneId: 'm2',
        plannedStart: '2023-04',
        plannedEnd: '2023-09',
        reason: 'La consulta ciudadana se amplió',
      },
      at: day(40),
    },
  ];
  let n = 0;
  while (events.length < perCommitment - (i % 10 === 0 ? 1 : 0)) {
    n += 1;
    const milestone = cartagena2023Milestones[n % cartagena2023Milestones.length];
    const percent = Math.min(100, 10 + ((n * 7) % 90)) - (n === 11 ? 30 : 0);
    events.push({
      type: 'MilestoneProgressReported',
      data: {
        ...id,
        milestoneId: milestone.milestoneId,
        percent,
        reportedAt: day(40 + n * 7),
        note: `Avance ${n}`,
        evidence: [EVIDENCE],
      },
      at: day(40 + n * 7),
    });
  }
  if (i % 10 === 0) {
    events.push({
      type: 'CommitmentCompleted',
      data: { ...id, completedAt: day(360) },
      at: day(360),
    });
  }
  return events;
}

/**
 * Writes an export's events.jsonl of `events` events across `commitments` commitments, their
 * streams interleaved in chunks of 10 as a log holds them, each line the event's RFC 8785
 * canonical JSON with its metadata (recorded a minute after its business time).
 */
export async function writeEvents(
  file: string,
  events: number,
  commitments: number,
): Promise<number> {
  const out = createWriteStream(file);
  const perCommitment = Math.floor(events / commitments);
  const versions = new Array<number>(commitments).fill(0);
  const all = Array.from({ length: commitments }, (_, i) => eventsOf(i, perCommitment));
  let position = 0;
  for (let offset = 0; offset < perCommitment; offset += 10) {
    for (let i = 0; i < commitments; i++) {
      for (const event of all[i].slice(offset, offset + 10)) {
        versions[i] += 1;
        const line = canonicalize({
          id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
          stream: `commitment-c${String(i).padStart(6, '0')}`,
          streamVersion: versions[i],
          position,
          type: event.type,
          schemaVersion: event.type === 'CommitmentRegistered' ? 2 : 1,
          data: event.data as never,
          metadata: {
            actor: { subject: 'ana', role: 'steward', agency: `agency-${i % 40}` },
            occurredAt: event.at,
            recordedAt: new Date(Date.parse(event.at) + 60_000).toISOString(),
          },
        });
        position += 1;
        if (!out.write(`${line}\n`)) await once(out, 'drain');
      }
    }
  }
  out.end();
  await once(out, 'finish');
  return position;
}

async function parseAll(file: string): Promise<number> {
  let lines = 0;
  const input = createInterface({
    input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of input) {
    JSON.parse(line);
    lines += 1;
  }
  return lines;
}

/**
 * Recomputes every red flag offline from an export of `events` events across `commitments`
 * commitments, in this thread and in worker threads, next to the baseline of only reading
 * and parsing the same file, three times each, alternating, in this process.
 */
export async function benchRedFlags(options: {
  events: number;
  commitments: number;
  log: (line: string) => void;
}): Promise<RedFlagResults> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-bench-flags-'));
  const cpus = os.availableParallelism();
  const workers = Math.max(1, Math.min(8, cpus) - 1);
  try {
    const file = path.join(dir, 'events.jsonl');
    const events = await writeEvents(file, options.events, options.commitments);
    const bytes = (await stat(file)).size;
    await writeFile(path.join(dir, 'manifest.json'), '{}');
    options.log(`wrote ${events} events (${(bytes / 2 ** 20).toFixed(0)} MiB)`);
    const parse: Round[] = [];
    const flags: Round[] = [];
    const parallel: Round[] = [];
    const counts = new Set<number>();
    const recount = (threads: number) =>
      timed(async () => {
        const result = await flagsFromExport({
          dir,
          asOf: '2024-06-01T00:00:00.000Z',
          thresholds: DEFAULT_THRESHOLDS,
          workers: threads,
        });
        counts.add(result.flags.length);
        return result.events;
      });
    const line = (name: string, r: Round) =>
      `${name} ${r.seconds.toFixed(2)} s (${r.cpuSeconds.toFixed(2)} s CPU)`;
    const load: number[] = [];
    for (let round = 0; round < 3; round++) {
      load.push(os.loadavg()[0]);
      parse.push(await timed(() => parseAll(file)));
      flags.push(await recount(0));
      parallel.push(await recount(workers));
      options.log(
        `round ${round + 1}: ${line('parse', parse[round])}, ${line('one thread', flags[round])}, ` +
          `${line(`1 + ${workers} threads`, parallel[round])}; ${[...counts].join(', ')} flags`,
      );
    }
    load.push(os.loadavg()[0]);
    if (counts.size !== 1)
      throw new Error(`the recounts disagree: ${[...counts].join(' vs ')} flags`);
    return {
      events,
      commitments: options.commitments,
      bytes,
      parse,
      flags,
      parallel,
      workers,
      cpus,
      load,
      flagCount: [...counts][0],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The issue's target for the recount: events per second of wall time, at 1,000,000 events. */
export const RED_FLAGS_TARGET_PER_SECOND = 100_000;

export function renderRedFlags(results: RedFlagResults): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const rate = (rounds: Round[], key: 'perSecond' | 'perCpuSecond') =>
    median(rounds.map((r) => r[key]));
  const ratio = (rounds: Round[], key: 'perSecond' | 'perCpuSecond') =>
    (rate(rounds, key) / rate(results.parse, key)).toFixed(2);
  const row = (name: string, rounds: Round[]) =>
    `| ${name} | ${n(rate(rounds, 'perSecond'))} | ${n(rate(rounds, 'perCpuSecond'))} | ` +
    `${ratio(rounds, 'perSecond')} | ${ratio(rounds, 'perCpuSecond')} |`;
  const parallel = rate(results.parallel, 'perSecond');
  const threads = `${results.workers + 1} threads`;
  const workers = `this thread and ${results.workers} worker thread${results.workers === 1 ? '' : 's'}`;
  return `
## Red flags recomputed offline

\`cuenta flags\` after its verification: \`flagsFromExport\`, the fold of every event of an
export's events.jsonl into the red-flag files and every rule judged on them. The file holds
${n(results.events)} events of ${n(results.commitments)} commitments
(${(results.bytes / 2 ** 20).toFixed(0)} MiB; each commitment registered from the Cartagena
template with its seven milestones, published, budgeted, rescheduled once, then progress
reports with evidence, one going backwards; every tenth completed), their streams interleaved
as a log holds them. Measured in one thread (\`--workers 0\`) and in ${workers}, as
\`cuenta flags\` runs by default on this machine (a thread per CPU, at most 8; ${results.cpus}
CPUs, shared with other work: its 1-minute load average was between
${Math.min(...results.load).toFixed(1)} and ${Math.max(...results.load).toFixed(1)} at the rounds' starts and end). The baseline reads the same file line by line
with readline and parses every line in one thread, nothing else. Three rounds each,
alternating; medians, per second of wall time and per second of the process's CPU time (user
and system, every thread), which the rest of a shared machine's load inflates far less.
${n(results.flagCount)} flags, the same in every run.

| measure | events/s (wall) | events per CPU second | ratio to baseline (wall) | ratio (CPU) |
|---|---:|---:|---:|---:|
${row('read and parse every line (baseline)', results.parse)}
${row('recompute every flag, one thread', results.flags)}
${row(`recompute every flag, ${threads}`, results.parallel)}

Target: at least ${n(RED_FLAGS_TARGET_PER_SECOND)} events/s of wall time, by default (${threads}):
**${parallel >= RED_FLAGS_TARGET_PER_SECOND ? 'met' : 'missed'}** (${n(parallel)} events/s, the median
of three rounds).

How: each thread reads the whole file in 4 MiB chunks but decodes and parses only the lines of
its own commitments (it reads a line's stream from its bytes, so another thread's line costs
it a byte scan); no rule reads two commitments' files, so the threads' files together are
those of one fold, and their flags, merged in the order one fold creates the files and sorted
as before, are the same flags in the same order (tests compare them). Each line is decoded on
its own, so an ASCII line is a one-byte string, which JSON.parse reads about twice as fast as
the lines readline cuts from chunks holding any accented letter (the baseline's way). What
remains per event: its JSON.parse, folding it into its commitment's file (two instants read,
a few small objects kept per milestone and budget line), the garbage collection of the parsed
events, and judging the rules on every file at the end. The threads together do more than one
thread alone (every thread scans every line's bytes; the workers' flags come back as JSON),
which the CPU rates show: they gain wall time only where the CPUs have room for them.
`;
}
