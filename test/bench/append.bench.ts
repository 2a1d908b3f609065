import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { PostgresEventStore, type NewEvent } from '#event-store';

export interface Rate {
  events: number;
  seconds: number;
  perSecond: number;
}

export interface AppendRound {
  single: { store: Rate; raw: Rate };
  batched: { store: Rate; raw: Rate };
}

export interface AppendResults {
  /** Each round measures both workloads next to their own baselines, baseline first. */
  rounds: AppendRound[];
  /** Load average (1, 5, 15 min) before the first round. */
  load: number[];
}

/** About 400 bytes of JSON, distinct per event, shaped like a progress report. */
function payload(n: number): NewEvent['data'] {
  return {
    commitmentId: 'ctg-2023-cartagena-cuenta',
    milestoneId: `m-${n % 7}`,
    progress: n % 101,
    evidence: {
      sha256: randomBytes(32).toString('hex'),
      url: `https://cartagena.gov.co/rendicion/${n}.pdf`,
      mediaType: 'application/pdf',
      description: 'Acta de la audiencia pública de rendición de cuentas, localidad 1',
    },
    note: `Avance reportado por la Secretaría de Planeación, registro ${n}`,
  };
}

const metadata = {
  actor: { subject: 'planeacion-ana', role: 'steward', agency: 'secretaria-de-planeacion' },
  occurredAt: '2023-06-01T12:00:00.000Z',
  correlationId: 'bench',
};

function rate(events: number, started: number): Rate {
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds, perSecond: events / seconds };
}

/** A table shaped like events.events (same columns and unique keys), with no ledger or trigger. */
async function createRawTable(pool: pg.Pool): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS bench_raw_events`);
  await pool.query(`
    CREATE TABLE bench_raw_events (
      global_position bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      stream_id text NOT NULL,
      stream_version integer NOT NULL,
      type text NOT NULL,
      schema_version integer NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      UNIQUE (stream_id, stream_version))`);
}

async function inParallel(clients: number, work: (client: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: clients }, (_, c) => work(c)));
}

/** (a) 32 clients, one event per append, next to one-row INSERT transactions over 8 connections. */
async function singleEventAppends(url: string, total: number) {
  const clients = 32;
  const each = Math.floor(total / clients);
  const rawPool = new pg.Pool({ connectionString: url, max: 8 });
  await createRawTable(rawPool);
  let started = performance.now();
  await inParallel(clients, async (c) => {
    for (let i = 0; i < each; i++) {
      await rawPool.query(
        `INSERT INTO bench_raw_events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
         VALUES ($1, $2, $3, $4, 1, $5, $6)`,
        [randomUUID(), `raw-a-${c}`, i + 1, 'MilestoneProgressReported', payload(i), metadata],
      );
    }
  });
  const raw = rate(clients * each, started);
  await rawPool.end();

  const store = await PostgresEventStore.open({ connectionString: url, poolSize: 8 });
  const run = randomUUID().slice(0, 8);
  started = performance.now();
  await inParallel(clients, async (c) => {
    for (let i = 0; i < each; i++) {
      await store.append(
        `bench-a-${run}-${c}`,
        [{ type: 'MilestoneProgressReported', data: payload(i), metadata }],
        i,
      );
    }
  });
  const measured = rate(clients * each, started);
  await store.close();
  return { store: measured, raw };
}

/** (b) appends of 100 events from 2 clients, next to 100-row INSERT transactions on 2 connections. */
async function batchedAppends(url: string, total: number) {
  const clients = 2;
  const batch = 100;
  const batches = Math.floor(total / clients / batch);
  const rawPool = new pg.Pool({ connectionString: url, max: 2 });
  await createRawTable(rawPool);
  let started = performance.now();
  await inParallel(clients, async (c) => {
    for (let b = 0; b < batches; b++) {
      const rows = Array.from({ length: batch }, (_, i) => i);
      await rawPool.query(
        `INSERT INTO bench_raw_events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])`,
        [
          rows.map(() => randomUUID()),
          rows.map(() => `raw-b-${c}`),
          rows.map((i) => b * batch + i + 1),
          rows.map(() => 'MilestoneProgressReported'),
          rows.map(() => 1),
          rows.map((i) => JSON.stringify(payload(b * batch + i))),
          rows.map(() => JSON.stringify(metadata)),
        ],
      );
    }
  });
  const raw = rate(clients * batches * batch, started);
  await rawPool.end();

  const store = await PostgresEventStore.open({ connectionString: url, poolSize: 4 });
  const run = randomUUID().slice(0, 8);
  started = performance.now();
  await inParallel(clients, async (c) => {
    for (let b = 0; b < batches; b++) {
      const events = Array.from({ length: batch }, (_, i) => ({
        type: 'MilestoneProgressReported',
        data: payload(b * batch + i),
        metadata,
      }));
      await store.append(`bench-b-${run}-${c}`, events, b * batch);
    }
  });
  const measured = rate(clients * batches * batch, started);
  await store.close();
  return { store: measured, raw };
}

/**
 * `runs` rounds of both workloads; the targets are judged on the median of the rounds'
 * ratios, each ratio taken against the baseline measured just before it.
 */
export async function benchAppends(
  url: string,
  options: { scale: number; runs?: number; log?: (line: string) => void },
): Promise<AppendResults> {
  const log = options.log ?? (() => undefined);
  const load = os.loadavg();
  // A short warm-up so neither side pays for cold caches or the first connections.
  await singleEventAppends(url, 640);
  const rounds: AppendRound[] = [];
  for (let run = 0; run < (options.runs ?? 3); run++) {
    const single = await singleEventAppends(url, Math.round(20_000 * options.scale));
    const batched = await batchedAppends(url, Math.round(100_000 * options.scale));
    rounds.push({ single, batched });
    const ratio = (side: { store: Rate; raw: Rate }) =>
      (side.store.perSecond / side.raw.perSecond).toFixed(2);
    log(`round ${run + 1}: (a) ${ratio(single)}x raw, (b) ${ratio(batched)}x raw`);
  }
  return { rounds, load };
}
