import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { commitmentStream } from '#commitments';
import { PostgresEventStore, type NewEvent } from '#event-store';
import { followLog } from '../support/follow-log.js';
import { inspect, type ProcessMemory } from '../support/inspector.js';
import { graphql, startServer } from '../support/server.js';
import { eventsFor } from './projection.bench.js';

/** Events between two samples. */
export const SOAK_STEP = 10_000;
/** Commitments the soak writes to: a city's worth, so that per-commitment state stays put. */
const COMMITMENTS = 250;

export interface SoakResults {
  events: number;
  commitments: number;
  seconds: number;
  /** After every SOAK_STEP events the API processed; the first one before any. */
  samples: (ProcessMemory & { events: number })[];
  reads: number;
  subscriptions: number;
}

const READS = [
  '{ commitment(id: "bench-0") { status milestones { id progress } history(first: 20) { totalCount } } }',
  '{ commitments(first: 20) { edges { node { id status } } } }',
  '{ latestCheckpoint { size } ledgerInfo { size } }',
];

/**
 * A long soak of the API as deployed, as a process started with its inspector on 127.0.0.1:
 * events of COMMITMENTS commitments are appended to its log (interleaved in chunks of 10)
 * while the API's projection runner applies them, two subscriptions stream every one of them
 * over graphql-ws, and two clients query. After every SOAK_STEP events,
 * once the projection and both subscriptions have caught up, the API's heap after forced
 * collections and its resident memory are read.
 */
export async function benchSoak(
  url: string,
  options: { events: number; log?: (line: string) => void },
): Promise<SoakResults> {
  const log = options.log ?? (() => undefined);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-soak-bench-'));
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: 8 });
  const server = await startServer(
    {
      DATABASE_URL: url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
      CUENTA_DEMO: 'off',
      NODE_ENV: 'production',
      CUENTA_LOG_LEVEL: 'warn',
      NODE_OPTIONS: '--inspect=127.0.0.1:0',
    },
    120_000,
  );
  const inspector = await inspect(server.output());
  const following = [followLog(server.url, { from: 0 }), followLog(server.url, { from: 0 })];
  let reading = true;
  let reads = 0;
  const readers = Array.from({ length: 2 }, async (_, r) => {
    for (let n = r; reading; n++) {
      const { status, body } = await graphql(server.url, READS[n % READS.length]);
      if (status !== 200 || body.errors) throw new Error(`a read failed: ${JSON.stringify(body)}`);
      reads++;
    }
  });
  const checkpoint = async () =>
    Number(
      (
        await store.pool.query<{ position: string }>(
          `SELECT position FROM read.projection_checkpoints WHERE name = 'commitments'`,
        )
      ).rows[0]?.position ?? 0,
    );
  /** Waits (for 10 minutes at most) until the API has processed the whole log. */
  const caughtUp = async (size: number) => {
    const deadline = Date.now() + 600_000;
    while ((await checkpoint()) < size || following.some((f) => f.received() < size)) {
      const failed = following.find((f) => f.error() !== undefined);
      if (failed) throw new Error(`a subscription failed: ${JSON.stringify(failed.error())}`);
      if (Date.now() > deadline) {
        throw new Error(
          `the API did not catch up with ${size} events: checkpoint ${await checkpoint()}, ` +
            `subscriptions ${following.map((f) => f.received()).join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  try {
    const samples: SoakResults['samples'] = [{ events: 0, ...(await inspector.memory()) }];
    const started = performance.now();
    // The first step: every commitment's year (40 events each, as in the projection bench);
    // the next ones: more progress reports, 40 per commitment and step.
    const streams = Array.from({ length: COMMITMENTS }, (_, i) => {
      const id = `bench-${i}`;
      const events = eventsFor(id, i);
      const report = events.findLast((e) => e.type === 'MilestoneProgressReported');
      if (!report) throw new Error('the commitment template reports no progress');
      return { stream: commitmentStream(id), version: 0, events, report };
    });
    let appended = 0;
    for (let step = 0; step < options.events / SOAK_STEP; step++) {
      if (step > 0) {
        for (const s of streams) s.events = reports(s.report, step, SOAK_STEP / COMMITMENTS);
      }
      for (let at = 0; streams.some((s) => s.events.length > at); at += 10) {
        await Promise.all(
          streams.map(async (s) => {
            const chunk = s.events.slice(at, at + 10);
            if (chunk.length === 0) return;
            await store.append(s.stream, chunk, s.version);
            s.version += chunk.length;
          }),
        );
      }
      appended = await store.head();
      await caughtUp(appended);
      const memory = await inspector.memory();
      samples.push({ events: appended, ...memory });
      log(
        `${appended} events: heap after GC ${mib(memory.heapAfterGc)} MiB, ` +
          `resident ${mib(memory.rss)} MiB (${reads} reads so far)`,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    reading = false;
    await Promise.all(readers);
    return {
      events: appended,
      commitments: COMMITMENTS,
      seconds,
      samples,
      reads,
      subscriptions: following.length,
    };
  } finally {
    reading = false;
    await Promise.all(readers.map((r) => r.catch(() => undefined)));
    await Promise.all(following.map((f) => f.close()));
    await inspector.close();
    await server.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `count` more progress reports like `report`, with fresh ids and notes, without evidence. */
function reports(report: NewEvent, step: number, count: number): NewEvent[] {
  const data = Object.fromEntries(
    Object.entries(report.data).filter(([key]) => key !== 'evidence'),
  );
  return Array.from({ length: count }, (_, k) => ({
    ...report,
    id: randomUUID(),
    data: { ...data, note: `Informe ${step}.${k}: avance verificado en campo` },
  }));
}

export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
