import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID } from '../../libs/commitments/demo/index.js';
import { PostgresEventStore, type NewEvent } from '#event-store';
import { bearer, localTokens } from '../support/access.js';
import { registerCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { openSubscription } from '../support/faults.js';
import { freePort, graphql, startServer, type ServerProcess } from '../support/server.js';
import { until } from '../support/until.js';

// Prometheus scraping the built server's metrics port, as an operator configures it.

const TOKEN = 'metrics-token-for-the-e2e-suite-0123456789';

/** A registration without the commitment's template: the commitments projection stalls on it. */
const malformed: NewEvent = {
  type: 'CommitmentRegistered',
  data: { commitmentId: 'broken' },
  metadata: { actor: { subject: 'migration-script', role: 'administrator' } },
};

/** Each sample of a Prometheus text answer, by its name with labels as written. */
function samples(text: string): Map<string, number> {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Map(
    lines.map((line) => {
      const space = line.lastIndexOf(' ');
      return [line.slice(0, space), Number(line.slice(space + 1))];
    }),
  );
}

describe('GET /metrics on the metrics port', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let server: ServerProcess;
  let metricsUrl: string;
  let dataDir: string;

  const scrape = async (authorization = `Bearer ${TOKEN}`) => {
    const response = await fetch(metricsUrl, { headers: { authorization } });
    return { status: response.status, text: await response.text() };
  };
  const scraped = async () => samples((await scrape()).text);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-metrics-e2e-'));
    store = await PostgresEventStore.open({ connectionString: database.url });
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_METRICS_PORT: String(port),
      CUENTA_METRICS_TOKEN: TOKEN,
      CUENTA_CHECKPOINT_EVERY_EVENTS: '1',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a scrape without the token or with another one, and serves nothing else', async () => {
    const refused = 'a scrape needs the metrics bearer token (CUENTA_METRICS_TOKEN)\n';
    expect(await fetch(metricsUrl).then((r) => r.status)).toBe(401);
    expect(await scrape(`Bearer ${TOKEN}x`)).toEqual({ status: 401, text: refused });
    const other = await fetch(metricsUrl.replace('/metrics', '/health'));
    expect(other.status).toBe(404);
    // Not on the API's own port.
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('counts GraphQL operations by root field and outcome, never by what the client wrote', async () => {
    await graphql(server.url, 'query Anything { health { status } }');
    await graphql(server.url, '{ health { status } }');
    await graphql(server.url, '{ health { unknownFieldMarker } }');

    const values = await scraped();
    expect(values.get('cuenta_graphql_operations_total{operation="health",outcome="OK"}')).toBe(2);
    expect(
      values.get(
        'cuenta_graphql_operations_total{operation="other",outcome="GRAPHQL_VALIDATION_FAILED"}',
      ),
    ).toBe(1);
    expect(values.get('cuenta_graphql_operation_seconds_count{operation="health"}')).toBe(2);
    const text = (await scrape()).text;
    expect(text).not.toContain('Anything');
    expect(text).not.toContain('unknownFieldMarker');
  });

  it("counts the server's appends and the events each wrote", async () => {
    const { mint } = await localTokens(dataDir);
    const steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
    const positions = await registerCartagena(server.url, steward, {
      commitmentId: 'metrics-e2e',
      code: 'CTG-Metricas-2026',
    });

    const values = await scraped();
    const appended = values.get('cuenta_appends_total{outcome="appended"}');
    expect(appended).toBeGreaterThanOrEqual(8);
    expect(values.get('cuenta_append_events_count')).toBe(appended);
    // Every event in the log so far went through this server's appends.
    const size = values.get('cuenta_log_size') ?? -1;
    expect(size).toBeGreaterThanOrEqual(positions.length);
    expect(values.get('cuenta_append_events_sum')).toBe(size);
    expect(values.get('cuenta_append_seconds_count{outcome="appended"}')).toBe(appended);
    const caughtUp = await until(
      scraped,
      (v) => v.get('cuenta_projection_lag_events{projection="commitments"}') === 0,
    );
    expect(caughtUp.get('cuenta_projection_lag_seconds{projection="commitments"}')).toBe(0);
  });

  it('reports the log, its checkpoints and a stalled projection as they are in the database', async () => {
    const size = (await scraped()).get('cuenta_log_size') ?? -1;
    await store.append('commitment-broken', [malformed], 'no_stream');

    const values = await until(
      scraped,
      (v) =>
        v.get('cuenta_unsigned_events') === 0 &&
        v.get('cuenta_projection_stalled{projection="commitments"}') === 1,
    );
    expect(values.get('cuenta_database_up')).toBe(1);
    expect(values.get('cuenta_log_size')).toBe(size + 1);
    expect(values.get('cuenta_projection_lag_events{projection="commitments"}')).toBe(1);
    expect(values.get('cuenta_projection_parked_events{projection="commitments"}')).toBe(0);
    const behind = values.get('cuenta_projection_lag_seconds{projection="commitments"}') ?? -1;
    expect(behind).toBeGreaterThanOrEqual(0);
    expect(behind).toBeLessThan(600);
    const age = values.get('cuenta_checkpoint_age_seconds') ?? -1;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(600);
  });

  it("counts this server's open log subscriptions and its pools' connections", async () => {
    const before = await until(scraped, (v) => (v.get('cuenta_log_subscriptions') ?? 0) >= 1);
    const runnerOnly = before.get('cuenta_log_subscriptions') ?? 0;
    const live = openSubscription(
      server.url,
      'subscription { eventsAppended(from: 0) { position } }',
      (data) => (data.eventsAppended as { position: number }).position,
    );
    try {
      await live.ready;
      const during = await until(
        scraped,
        (v) => v.get('cuenta_log_subscriptions') === runnerOnly + 1,
      );
      for (const pool of ['event_store', 'read_models']) {
        expect(
          during.get(`cuenta_db_pool_connections{pool="${pool}",state="total"}`),
        ).toBeGreaterThan(0);
        expect(during.get(`cuenta_db_pool_connections{pool="${pool}",state="waiting"}`)).toBe(0);
      }
    } finally {
      await live.close();
    }
    await until(scraped, (v) => v.get('cuenta_log_subscriptions') === runnerOnly);
  });

  it("includes Node's default metrics", async () => {
    const values = await scraped();
    expect(values.get('nodejs_heap_size_total_bytes')).toBeGreaterThan(0);
    expect(values.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });
});
