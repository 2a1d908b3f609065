import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { commitmentStream } from '#commitments';
import { CONTEXTS } from '#contexts';
import { PostgresEventStore, type NewEvent } from '#event-store';
import { generateSignerKey } from '#ledger';
import {
  contextReadModels,
  contextReadSchema,
  openReadDatabase,
  ProjectionRunner,
} from '#platform';
import { eventsFor } from './projection.bench.js';

export interface PackageRun {
  events: number;
  seconds: number;
  rows: number;
  peakRss: number;
  /** Resident memory sampled every 250 ms while writing. */
  samples: number[];
  /** The baseline's seconds per resource (empty for the package). */
  perResource: Record<string, number>;
}

export interface OpenDataResults {
  commitments: number;
  /** Commitment events per commitment, and events of other streams per commitment. */
  perCommitment: { commitment: number; other: number };
  seedSeconds: number;
  catchUpSeconds: number;
  /** The package at half the log, then at the whole log. */
  packages: PackageRun[];
  /** The same rows streamed to /dev/null from one snapshot, at the whole log. */
  baseline: PackageRun;
}

const ORIGIN = 'cuenta.example/bench-open-data';
const WAVE = 1000;

/** Events of streams no read model takes (a city's other records), so the log reaches its size. */
function otherEvents(i: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, n) => ({
    id: randomUUID(),
    type: 'BenchNoteRecorded',
    data: { note: `Nota ${n} del expediente ${i}`, n },
    metadata: {
      actor: { subject: 'bench', role: 'steward', agency: 'alcaldia-cartagena' },
      occurredAt: '2023-06-01T14:00:00.000Z',
    },
  }));
}

/**
 * The full data package over a log of `commitments` x 50 events (the projection bench's 37
 * events of each commitment and 13 of other streams), written by a process of its own as
 * `cuenta open-data` writes it, at half the log and at the whole log; and the baseline, the
 * same rows streamed out of PostgreSQL to /dev/null.
 */
export async function benchOpenData(
  url: string,
  options: { commitments: number; log?: (line: string) => void },
): Promise<OpenDataResults> {
  const log = options.log ?? (() => undefined);
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: 8 });
  const dataSource = await openReadDatabase({
    connectionString: url,
    ...contextReadSchema(CONTEXTS),
  });
  const work = await mkdtemp(path.join(os.tmpdir(), 'cuenta-bench-open-data-'));
  const signerKey = generateSignerKey(ORIGIN);
  const runner = new ProjectionRunner(
    store,
    dataSource,
    contextReadModels(CONTEXTS).flatMap((m) => m.projections({ store, dataSource })),
    { connectionString: url, batchSize: 10_000 },
  );
  let seedSeconds = 0;
  let catchUpSeconds = 0;
  let perCommitment = { commitment: 0, other: 0 };
  const packages: PackageRun[] = [];
  const seed = async (from: number, to: number) => {
    const started = performance.now();
    for (let wave = from; wave < to; wave += WAVE) {
      const ids = Array.from({ length: Math.min(WAVE, to - wave) }, (_, k) => wave + k);
      await Promise.all(
        ids.map(async (i) => {
          const events = eventsFor(`bench-${i}`, i);
          const other = otherEvents(i, 50 - events.length);
          perCommitment = { commitment: events.length, other: other.length };
          for (let at = 0; at < events.length; at += 10) {
            await store.append(commitmentStream(`bench-${i}`), events.slice(at, at + 10), at);
          }
          await store.append(`bench-note-${i}`, other, 'no_stream');
        }),
      );
    }
    seedSeconds += (performance.now() - started) / 1000;
    const caught = performance.now();
    await runner.catchUpOnce();
    catchUpSeconds += (performance.now() - caught) / 1000;
    await dataSource.query('VACUUM ANALYZE');
    log(
      `log of ${await store.head()} events; seeded in ${seedSeconds.toFixed(0)} s, read models in ${catchUpSeconds.toFixed(0)} s`,
    );
  };
  const measure = async (mode: 'package' | 'baseline'): Promise<PackageRun> => {
    const dir = path.join(work, `${mode}-${packages.length}`);
    const child = spawn(process.execPath, ['dist/test/bench/open-data-writer.js', mode, url, dir], {
      env: { ...process.env, CUENTA_BENCH_LOG_KEY: signerKey, CUENTA_BENCH_LOG_ORIGIN: ORIGIN },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    if (code !== 0) throw new Error(`open-data ${mode} failed (${code}): ${stderr}`);
    const run = JSON.parse(stdout) as Omit<PackageRun, 'events'>;
    await rm(dir, { recursive: true, force: true });
    const events = await store.head();
    if (Object.keys(run.perResource).length > 0) {
      log(
        `${mode} per resource: ${Object.entries(run.perResource)
          .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
          .join(', ')}`,
      );
    }
    log(
      `${mode} at ${events} events: ${run.seconds.toFixed(1)} s, ${run.rows} rows, peak RSS ${(run.peakRss / 2 ** 20).toFixed(0)} MiB`,
    );
    return { ...run, events };
  };
  try {
    const half = Math.floor(options.commitments / 2);
    await seed(0, half);
    packages.push(await measure('package'));
    await seed(half, options.commitments);
    packages.push(await measure('package'));
    const baseline = await measure('baseline');
    return {
      commitments: options.commitments,
      perCommitment,
      seedSeconds,
      catchUpSeconds,
      packages,
      baseline,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
    await dataSource.destroy();
    await store.close();
  }
}

/** The report's section; `load` (the load average at start) when it runs alone. */
export function renderOpenData(results: OpenDataResults, load?: number[]): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const [half, full] = results.packages;
  const ratio = full.seconds / results.baseline.seconds;
  const machine = load
    ? `\nMeasured by \`npm run bench -- --open-data-only\` on ${new Date().toISOString().slice(0, 10)}, on ${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'unknown'}, Node.js ${process.version}; load average at start ${load.map((l) => l.toFixed(2)).join(', ')}.\n`
    : '';
  return `
## Open-data package
${machine}
\`cuenta open-data\`'s work (every resource read at one cut and written as CSV, then
datapackage.json; a process of its own, \`test/bench/open-data-writer.ts\`) over a log of
${n(full.events)} events: ${n(results.commitments)} commitments of ${results.perCommitment.commitment} events each (the projection
bench's year of the Cartagena template) and ${results.perCommitment.other} events per commitment of streams no read model
takes, every read model caught up (seeding took ${results.seedSeconds.toFixed(0)} s and the read models
${results.catchUpSeconds.toFixed(0)} s; not measured). The baseline streams the same rows (each resource's statement
through a cursor in one REPEATABLE READ snapshot) out of PostgreSQL to /dev/null, with
nothing typed, shaped or checked.

| measure | half the log | whole log | target | |
|---|---:|---:|---:|---|
| events in the log | ${n(half.events)} | ${n(full.events)} | | |
| rows written | ${n(half.rows)} | ${n(full.rows)} | | |
| time to write the package | ${half.seconds.toFixed(1)} s | ${full.seconds.toFixed(1)} s | < 60 s | ${full.seconds < 60 ? 'met' : 'missed'} |
| peak resident memory (getrusage) | ${mib(half.peakRss)} | ${mib(full.peakRss)} | flat | ${full.peakRss < half.peakRss * 1.25 ? 'met' : 'missed'} (x${(full.peakRss / half.peakRss).toFixed(2)} for x${(full.events / half.events).toFixed(1)} the events) |
| baseline: the same rows to /dev/null | | ${results.baseline.seconds.toFixed(1)} s (peak ${mib(results.baseline.peakRss)}) | | |
| package time / baseline time | | ${ratio.toFixed(2)} | | |

Memory stays flat because every resource is read through a cursor, ${n(2000)} rows a round trip,
and written with back-pressure; what grows with the log is only the time.
`;
}
