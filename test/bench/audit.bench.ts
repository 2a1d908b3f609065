import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CONTEXTS } from '#contexts';
import { PostgresEventStore, runMigrations } from '#event-store';
import { canonicalize, CompactRange, leafHashOfText, type EventEnvelope } from '#ledger';
import { AUDIT_LOG_PROJECTION, AuditLogProjection } from '#oversight';
import { contextReadSchema, openReadDatabase, ProjectionRunner } from '#platform';
import { localTokens } from '../support/access.js';
import { PROJECTION_NAMES } from '../support/projection-names.js';
import { freePort, load, start, waitFor, type LoadRun } from './query-load.bench.js';

// The audit log on a log of many events across many commitments: (a) a filtered page (one
// actor over one quarter) through the built API, next to a bare primary-key SELECT of the same
// rows; (b) the change-log summary of a year through the API, next to a bare GROUP BY of the
// same year's rows in the audit table.

const here = path.dirname(fileURLToPath(import.meta.url));
const INSERT_BATCH = 10_000;
const ACTORS = 200;
const AGENCIES = 20;
const TYPES = [
  'MilestoneProgressReported',
  'MilestoneRescheduled',
  'BudgetRecorded',
  'MilestoneCompleted',
];
/** The log covers 2025 and 2026, evenly; the measures read 2026. */
const START = Date.UTC(2025, 0, 1);
const SPAN = Date.UTC(2027, 0, 1) - START;
const DAY = 86_400_000;
const ACTOR = 'steward-17';
const QUARTER = { from: '2026-04-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' };
const YEAR = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };

export interface AuditResults {
  events: number;
  commitments: number;
  projection: { seconds: number; perSecond: number };
  page: { rows: number; api: LoadRun; bare: { queries: number; p50Ms: number; p99Ms: number } };
  summary: { groups: number; total: number; api: Latencies; bare: Latencies };
  rate: number;
  seconds: number;
}

interface Latencies {
  runs: number;
  p50Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function latencies(times: number[]): Latencies {
  const sorted = [...times].sort((a, b) => a - b);
  return { runs: sorted.length, p50Ms: percentile(sorted, 0.5), maxMs: sorted[sorted.length - 1] };
}

/** One event as the store would have recorded it, by one of 200 stewards of 20 agencies. */
function envelope(position: number, count: number, commitments: number): EventEnvelope {
  const recorded = START + Math.floor((position * SPAN) / count);
  const subject = position % 50 === 0 ? 'admin-1' : `steward-${position % ACTORS}`;
  const actor =
    position % 50 === 0
      ? { subject, role: 'administrator' }
      : { subject, role: 'steward', agency: `agency-${position % AGENCIES}` };
  // One in 50 dated 40 days back: retroactive.
  const occurred = position % 50 === 7 ? recorded - 40 * DAY : recorded - 1000;
  return {
    id: `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`,
    stream: `commitment-c${position % commitments}`,
    streamVersion: Math.floor(position / commitments) + 1,
    position,
    type: TYPES[position % TYPES.length],
    schemaVersion: 1,
    data: {
      commitmentId: `c${position % commitments}`,
      milestoneId: `m${position % 7}`,
      percent: position % 101,
      plannedStart: '2026-01',
      plannedEnd: '2026-06',
      lineId: 'rubro-1',
      phase: 'approved',
      amountCop: 1000 * (position % 997),
      fundingSource: 'SGP',
      reportedAt: new Date(recorded).toISOString(),
      completedAt: new Date(recorded).toISOString(),
    },
    metadata: {
      actor,
      occurredAt: new Date(occurred).toISOString(),
      recordedAt: new Date(recorded).toISOString(),
      ...(position % 3 === 0 ? { reason: 'ajuste del cronograma' } : {}),
    },
  };
}

/** Writes the log straight into events.events in large INSERTs, with its Merkle hashes. */
async function buildLog(pool: pg.Pool, count: number, commitments: number): Promise<void> {
  const range = CompactRange.empty();
  for (let from = 0; from < count; from += INSERT_BATCH) {
    const rows: { envelope: EventEnvelope; hashes: Buffer }[] = [];
    for (let position = from; position < Math.min(count, from + INSERT_BATCH); position++) {
      const event = envelope(position, count, commitments);
      rows.push({
        envelope: event,
        hashes: Buffer.concat(range.append(leafHashOfText(canonicalize(event)))),
      });
    }
    await pool.query(
      `INSERT INTO events.events
         (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hashes)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[],
                            $7::jsonb[], $8::jsonb[], $9::bytea[])`,
      [
        rows.map((r) => r.envelope.position),
        rows.map((r) => r.envelope.id),
        rows.map((r) => r.envelope.stream),
        rows.map((r) => r.envelope.streamVersion),
        rows.map((r) => r.envelope.type),
        rows.map((r) => r.envelope.schemaVersion),
        rows.map((r) => JSON.stringify(r.envelope.data)),
        rows.map((r) => JSON.stringify(r.envelope.metadata)),
        rows.map((r) => r.hashes),
      ],
    );
  }
  await pool.query('UPDATE events.log_head SET size = $1', [count]);
}

const PAGE_QUERY = `{
  auditLog(first: 20, filter: { actors: ["${ACTOR}"], recorded: { from: "${QUARTER.from}", to: "${QUARTER.to}" } }) {
    edges { cursor node { position eventId type streamVersion recordedAt occurredAt reason retroactive
      stream { name id } actor { subject role agency } summary { es en } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SUMMARY_QUERY = `{
  changeLogSummary(filter: { recorded: { from: "${YEAR.from}", to: "${YEAR.to}" } }, groupBy: [ACTOR, MONTH]) {
    total groups { actor month count }
  }
}`;

async function post(url: string, query: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read by shape
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`the API refused: ${JSON.stringify(body)}`);
  return body.data;
}

/**
 * Builds a log of `events` events over `commitments` commitments in the new database at
 * `url`, projects the audit log, and measures the page and the summary.
 */
export async function benchAudit(
  url: string,
  options: {
    events: number;
    commitments: number;
    rate?: number;
    seconds?: number;
    log?: (line: string) => void;
  },
): Promise<AuditResults> {
  const log = options.log ?? (() => undefined);
  const rate = options.rate ?? 50;
  const seconds = options.seconds ?? 10;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await runMigrations(pool);
  const dataSource = await openReadDatabase({
    connectionString: url,
    ...contextReadSchema(CONTEXTS),
  });
  try {
    let started = performance.now();
    await buildLog(pool, options.events, options.commitments);
    log(`wrote ${options.events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    const events = await PostgresEventStore.open({ connectionString: url, migrate: false });
    try {
      await new ProjectionRunner(events, dataSource, [new AuditLogProjection()], {
        connectionString: url,
        batchSize: 5000,
      }).catchUpOnce();
    } finally {
      await events.close();
    }
    const projectionSeconds = (performance.now() - started) / 1000;
    log(`projected the audit log in ${projectionSeconds.toFixed(1)} s`);
    // The other read models are not measured here: the server starts with them at the head.
    await pool.query(
      `INSERT INTO read.projection_checkpoints (name, position) SELECT unnest($1::text[]), $2
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
      [PROJECTION_NAMES.filter((name) => name !== AUDIT_LOG_PROJECTION), options.events],
    );
    await pool.query('ANALYZE read.audit_log; ANALYZE read.audit_counts; ANALYZE events.events');

    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-audit-bench-'));
    const port = await freePort();
    const running = start(path.join(here, '../../apps/api/src/main.js'), [], {
      DATABASE_URL: url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
      CUENTA_DEMO: 'off',
      NODE_ENV: 'production',
      CUENTA_LOG_LEVEL: 'warn',
      PORT: String(port),
    });
    try {
      await waitFor(`http://127.0.0.1:${port}/health`, running.child, running.output);
      const target = `http://127.0.0.1:${port}/graphql`;
      const { mint } = await localTokens(dataDir);
      const headers = {
        authorization: `Bearer ${await mint({ role: 'internal_control', subject: 'oci', ttlSeconds: 3600 })}`,
      };
      const page = await post(target, PAGE_QUERY, headers);
      const positions = (page.auditLog.edges as { node: { position: number } }[]).map(
        (edge) => edge.node.position,
      );
      // 20 at the default size; a small log has fewer events per actor and quarter.
      if (positions.length === 0) throw new Error('the page is empty');
      const bareTimes: number[] = [];
      for (let i = 0; i < 2200; i++) {
        const t = performance.now();
        await pool.query(
          `SELECT global_position, event_id, stream_id, stream_version, type, data, metadata
             FROM events.events WHERE global_position = ANY($1::bigint[])`,
          [positions],
        );
        if (i >= 200) bareTimes.push(performance.now() - t);
      }
      const bareSorted = bareTimes.sort((a, b) => a - b);
      const common = {
        url: target,
        method: 'POST' as const,
        connections: 8,
        headers,
        rate,
        seconds,
      };
      const body = JSON.stringify({ query: PAGE_QUERY });
      await load({ ...common, body, mode: 'max', seconds: 2 }); // warm-up
      const api = await load({ ...common, body, mode: 'paced' });
      log(
        `page: API p99 ${api.p99Ms.toFixed(2)} ms, bare p99 ${percentile(bareSorted, 0.99).toFixed(2)} ms`,
      );

      const summaryTimes: number[] = [];
      let summary = await post(target, SUMMARY_QUERY, headers);
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        summary = await post(target, SUMMARY_QUERY, headers);
        summaryTimes.push(performance.now() - t);
      }
      const groupTimes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await pool.query(
          `SELECT actor_subject, date_trunc('month', recorded_at AT TIME ZONE 'UTC') AS month, count(*)
             FROM read.audit_log WHERE recorded_at >= $1 AND recorded_at < $2 GROUP BY 1, 2`,
          [YEAR.from, YEAR.to],
        );
        groupTimes.push(performance.now() - t);
      }
      const results: AuditResults = {
        events: options.events,
        commitments: options.commitments,
        projection: { seconds: projectionSeconds, perSecond: options.events / projectionSeconds },
        page: {
          rows: positions.length,
          api,
          bare: {
            queries: bareSorted.length,
            p50Ms: percentile(bareSorted, 0.5),
            p99Ms: percentile(bareSorted, 0.99),
          },
        },
        summary: {
          groups: summary.changeLogSummary.groups.length,
          total: summary.changeLogSummary.total,
          api: latencies(summaryTimes),
          bare: latencies(groupTimes),
        },
        rate,
        seconds,
      };
      log(
        `summary of a year: API p50 ${results.summary.api.p50Ms.toFixed(1)} ms, ` +
          `bare GROUP BY p50 ${results.summary.bare.p50Ms.toFixed(1)} ms`,
      );
      return results;
    } finally {
      running.child.kill('SIGTERM');
      if (running.child.exitCode === null && running.child.signalCode === null) {
        await once(running.child, 'exit');
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  } finally {
    await dataSource.destroy();
    await pool.end();
  }
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

/** The report's section on the audit log. */
export function renderAudit(results: AuditResults): string {
  const { page, summary } = results;
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const pageRatio = page.api.p99Ms / page.bare.p99Ms;
  const summaryRatio = summary.api.p50Ms / summary.bare.p50Ms;
  return `
## Audit log

A log of ${n(results.events)} events across ${n(results.commitments)} commitments, recorded
evenly over 2025 and 2026 by ${ACTORS} stewards of ${AGENCIES} agencies (and an administrator),
written straight into the log with its Merkle hashes; the audit log read model projected from
it by the projection runner in ${results.projection.seconds.toFixed(1)} s
(${n(results.projection.perSecond)} events/s). Measured through the built API
(\`NODE_ENV=production\`) with an internal_control token.

(a) One actor over one quarter (\`auditLog(first: 20, filter: { actors, recorded })\`, ${page.rows}
entries with their summaries), ${results.rate} requests/s for ${results.seconds} s, next to a
bare primary-key SELECT of the same ${page.rows} events from the log, sent straight to
PostgreSQL ${n(page.bare.queries)} times:

| | requests | errors | p50 | p99 | max |
| --- | ---: | ---: | ---: | ---: | ---: |
| API | ${page.api.requests} | ${page.api.errors} | ${ms(page.api.p50Ms)} | ${ms(page.api.p99Ms)} | ${ms(page.api.maxMs)} |
| bare SELECT (baseline) | ${page.bare.queries} | 0 | ${ms(page.bare.p50Ms)} | ${ms(page.bare.p99Ms)} | |

p99 ratio API / baseline: ${pageRatio.toFixed(1)}. Target: p99 under 50 ms through the API:
**${page.api.p99Ms < 50 && page.api.errors === 0 ? 'met' : 'missed'}**.

(b) The change-log summary of 2026 by actor and month (${n(summary.total)} events,
${summary.groups} groups), ${summary.api.runs} requests one after another, next to a bare
GROUP BY of the same year's rows of the audit table (${summary.bare.runs} runs):

| | runs | p50 | max |
| --- | ---: | ---: | ---: |
| API (monthly counts) | ${summary.api.runs} | ${ms(summary.api.p50Ms)} | ${ms(summary.api.maxMs)} |
| bare GROUP BY (baseline) | ${summary.bare.runs} | ${ms(summary.bare.p50Ms)} | ${ms(summary.bare.maxMs)} |

p50 ratio API / baseline: ${summaryRatio.toFixed(2)}. Target: under 500 ms:
**${summary.api.maxMs < 500 ? 'met' : 'missed'}** (judged on the slowest run).
`;
}
