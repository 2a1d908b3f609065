import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { commitmentsContext } from '#commitments';
import { CONTEXTS } from '#contexts';
import { PostgresEventStore, type NewEvent } from '#event-store';
import { EvaluationCommandHandler } from '#participation';
import {
  contextReadModels,
  contextReadSchema,
  openReadDatabase,
  PersonalDataStore,
  ProjectionRunner,
} from '#platform';
import { freePort, load, start, waitFor, type LoadRun } from './query-load.bench.js';

// Citizens' evaluations: (a) anonymous submissions from 32 concurrent clients through the
// command handler (target lookup, decide, personal-data sealing of a comment, append), next
// to plain appends of the same events from 32 clients; (b) the evaluations list of a
// commitment holding 100,000 evaluations, a page of 20 through the built API (read cache
// off), next to the same page's SQL sent straight to PostgreSQL.

const here = path.dirname(fileURLToPath(import.meta.url));
const COMMITMENT = 'cartagena-cuenta-2023';
const CLIENTS = 32;
const TERRITORIES = ['localidad-1', 'localidad-2', 'localidad-3', 'ucg-1', 'ucg-6', 'bayunca'];

export interface SubmitRun {
  events: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface EvaluationResults {
  submissions: { handler: SubmitRun; baseline: SubmitRun; clients: number };
  list: {
    evaluations: number;
    api: LoadRun;
    apiAfterCursor: LoadRun;
    sql: { queries: number; p50Ms: number; p99Ms: number };
    rate: number;
    seconds: number;
  };
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function summary(latencies: number[], started: number): SubmitRun {
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    events: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

/** `work` from `CLIENTS` clients, `each` times each, timing every call. */
async function timed(each: number, work: (client: number, i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < each; i++) {
        const t = performance.now();
        await work(c, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return summary(latencies, started);
}

/** An EvaluationSubmitted as the log holds one (no personal value). */
function submittedEvent(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'EvaluationSubmitted',
    data: {
      evaluationId: `bench-${n}`,
      target: { kind: 'milestone', commitmentId: COMMITMENT, milestoneId: 'm6' },
      agencyId: 'alcaldia-cartagena',
      ratings: { clarity: 1 + (n % 5), progress: 1 + ((n >> 1) % 5) },
      territory: TERRITORIES[n % TERRITORIES.length],
      submittedAt: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString(),
      dueDate: '2024-01-23',
    },
    metadata: {
      actor: { subject: `anon:bench-${n % 997}`, role: 'anonymous' },
      occurredAt: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString(),
    },
  };
}

async function prepare(url: string) {
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: 8 });
  const dataSource = await openReadDatabase({
    connectionString: url,
    ...contextReadSchema(CONTEXTS),
  });
  await commitmentsContext.demo?.load(store);
  return { store, dataSource };
}

/** (a) 32 anonymous clients submitting evaluations with a comment, beside plain appends. */
async function submissions(url: string, each: number) {
  const { store, dataSource } = await prepare(url);
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  try {
    const personalData = new PersonalDataStore({ pool, kek: randomBytes(32) });
    const handler = new EvaluationCommandHandler(store, personalData);
    const run = randomUUID().slice(0, 8);
    const submit = (c: number, i: number) =>
      handler.handle({
        command: {
          type: 'SubmitEvaluation',
          data: {
            evaluationId: `${run}-${c}-${i}`,
            target: { kind: 'milestone', commitmentId: COMMITMENT, milestoneId: 'm6' },
            ratings: { clarity: 1 + (i % 5), dialogue_usefulness: 1 + (c % 5) },
            territory: TERRITORIES[(c + i) % TERRITORIES.length],
            comment: `La audiencia del 7 de diciembre respondió a mis preguntas (${c}/${i}).`,
          },
        },
        issuer: { kind: 'trusted', actor: { subject: `anon:bench-${c}`, role: 'anonymous' } },
      });
    await timed(Math.max(2, Math.round(each / 10)), (c, i) => submit(c, 1_000_000 + i)); // warm-up
    const measured = await timed(each, submit);
    const baseline = await timed(each, (c, i) =>
      store.append(`evaluation-raw-${run}-${c}-${i}`, [submittedEvent(c * each + i)], 'no_stream'),
    );
    return { handler: measured, baseline, clients: CLIENTS };
  } finally {
    await pool.end();
    await dataSource.destroy();
    await store.close();
  }
}

const LIST_QUERY = (after?: string) => `{
  evaluations(first: 20, filter: { commitmentId: "${COMMITMENT}" }${after ? `, after: "${after}"` : ''}) {
    edges { cursor node { id territory dueDate answerState ratings { clarity progress dialogueUsefulness } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const LIST_SQL = `SELECT *, due_date::text AS due_day FROM read.evaluations
  WHERE commitment_id = $1 ORDER BY submitted_position DESC LIMIT 21`;

/** (b) The list of a commitment holding `total` evaluations, through the API and in SQL. */
async function list(url: string, total: number, log: (line: string) => void) {
  const { store, dataSource } = await prepare(url);
  try {
    let written = 0;
    const each = Math.ceil(total / CLIENTS);
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; i < each && c * each + i < total; i++) {
          const n = c * each + i;
          await store.append(`evaluation-bench-${n}`, [submittedEvent(n)], 'no_stream');
          written += 1;
        }
      }),
    );
    log(`appended ${written} evaluations`);
    const projections = contextReadModels(CONTEXTS).flatMap((model) =>
      model.projections({ store, dataSource }),
    );
    await new ProjectionRunner(store, dataSource, projections, {
      connectionString: url,
    }).catchUpOnce();
    await dataSource.query('ANALYZE read.evaluations');
    const sqlLatencies: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await dataSource.query(LIST_SQL, [COMMITMENT]);
      sqlLatencies.push(performance.now() - t);
    }
    const sqlSorted = sqlLatencies.slice(200).sort((a, b) => a - b);
    const sql = {
      queries: sqlSorted.length,
      p50Ms: percentile(sqlSorted, 0.5),
      p99Ms: percentile(sqlSorted, 0.99),
    };
    return { written, sql };
  } finally {
    await dataSource.destroy();
    await store.close();
  }
}

async function throughApi(url: string, options: { rate: number; seconds: number }) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-evaluations-bench-'));
  const port = await freePort();
  const running = start(path.join(here, '../../apps/api/src/main.js'), [], {
    DATABASE_URL: url,
    CUENTA_DATA_DIR: dataDir,
    CUENTA_RATE_LIMIT_ANONYMOUS: '0',
    CUENTA_DEMO: 'off',
    CUENTA_READ_CACHE_MB: '0',
    NODE_ENV: 'production',
    CUENTA_LOG_LEVEL: 'warn',
    PORT: String(port),
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/health`, running.child, running.output);
    const target = `http://127.0.0.1:${port}/graphql`;
    const first = (await (
      await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: LIST_QUERY() }),
      })
    ).json()) as { data?: { evaluations?: { edges: unknown[]; pageInfo: { endCursor: string } } } };
    if (first.data?.evaluations?.edges.length !== 20) {
      throw new Error(`the API does not serve the list: ${JSON.stringify(first)}`);
    }
    // A cursor some way down the list: a later page costs the same with the index.
    let cursor = first.data.evaluations.pageInfo.endCursor;
    for (let page = 0; page < 50; page++) {
      const next = (await (
        await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LIST_QUERY(cursor) }),
        })
      ).json()) as { data: { evaluations: { pageInfo: { endCursor: string } } } };
      cursor = next.data.evaluations.pageInfo.endCursor;
    }
    const body = (after?: string) => JSON.stringify({ query: LIST_QUERY(after) });
    const common = { url: target, method: 'POST' as const, connections: 32, ...options };
    await load({ ...common, body: body(), mode: 'max', seconds: 2 }); // warm-up
    const api = await load({ ...common, body: body(), mode: 'paced' });
    const apiAfterCursor = await load({ ...common, body: body(cursor), mode: 'paced' });
    return { api, apiAfterCursor };
  } finally {
    running.child.kill('SIGTERM');
    const { exitCode, signalCode } = running.child;
    if (exitCode === null && signalCode === null) await once(running.child, 'exit');
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Both measures, each in a database of its own (`submitUrl`, `listUrl`, both new).
 * `perClient`: submissions per client; `evaluations`: the list's size.
 */
export async function benchEvaluations(
  submitUrl: string,
  listUrl: string,
  options: {
    perClient?: number;
    evaluations?: number;
    rate?: number;
    seconds?: number;
    log?: (line: string) => void;
  } = {},
): Promise<EvaluationResults> {
  const log = options.log ?? (() => undefined);
  const rate = options.rate ?? 100;
  const seconds = options.seconds ?? 10;
  const submitted = await submissions(submitUrl, options.perClient ?? 100);
  log(
    `submissions: ${Math.round(submitted.handler.perSecond)}/s p99 ${submitted.handler.p99Ms.toFixed(1)} ms; ` +
      `plain appends ${Math.round(submitted.baseline.perSecond)}/s p99 ${submitted.baseline.p99Ms.toFixed(1)} ms`,
  );
  const listed = await list(listUrl, options.evaluations ?? 100_000, log);
  const { api, apiAfterCursor } = await throughApi(listUrl, { rate, seconds });
  log(
    `list of ${listed.written}: API p99 ${api.p99Ms.toFixed(2)} ms (after a cursor ` +
      `${apiAfterCursor.p99Ms.toFixed(2)} ms); SQL p99 ${listed.sql.p99Ms.toFixed(2)} ms`,
  );
  return {
    submissions: submitted,
    list: { evaluations: listed.written, api, apiAfterCursor, sql: listed.sql, rate, seconds },
  };
}

const ms = (value: number) => value.toFixed(2);

/** The report's section on evaluations. */
export function renderEvaluations(results: EvaluationResults): string {
  const { submissions: s, list: l } = results;
  const verdict = l.api.p99Ms < 25 ? 'met' : 'missed';
  return `
## Citizens' evaluations

Anonymous evaluations from ${s.clients} concurrent clients, each a submission with a comment
through the command handler (the target read from the log, the decider, the comment sealed
into the personal-data store, the append), next to plain appends of the same events from
${s.clients} clients, in the same run and database:

| | events/s | p50 | p99 |
| --- | ---: | ---: | ---: |
| submitEvaluation (handler) | ${Math.round(s.handler.perSecond)} | ${ms(s.handler.p50Ms)} ms | ${ms(s.handler.p99Ms)} ms |
| plain append (baseline) | ${Math.round(s.baseline.perSecond)} | ${ms(s.baseline.p50Ms)} ms | ${ms(s.baseline.p99Ms)} ms |

The evaluations list of a commitment holding ${l.evaluations.toLocaleString('en-US')}
evaluations, a page of 20 through the built API (read cache off), ${l.rate} requests/s for
${l.seconds} s, next to the page's SQL sent straight to PostgreSQL:

| | requests | errors | p50 | p99 | max |
| --- | ---: | ---: | ---: | ---: | ---: |
| API, first page | ${l.api.requests} | ${l.api.errors} | ${ms(l.api.p50Ms)} ms | ${ms(l.api.p99Ms)} ms | ${ms(l.api.maxMs)} ms |
| API, page 52 (after a cursor) | ${l.apiAfterCursor.requests} | ${l.apiAfterCursor.errors} | ${ms(l.apiAfterCursor.p50Ms)} ms | ${ms(l.apiAfterCursor.p99Ms)} ms | ${ms(l.apiAfterCursor.maxMs)} ms |
| SQL only (baseline) | ${l.sql.queries} | 0 | ${ms(l.sql.p50Ms)} ms | ${ms(l.sql.p99Ms)} ms | |

Target: p99 under 25 ms for a page of 20 through the API: **${verdict}**.
`;
}
