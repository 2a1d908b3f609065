import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runMigrations } from '#event-store';
import { PostgresLedger } from '#transparency';
import { benchMirror, type MirrorResults } from './mirror.bench.js';
import { benchTiles, type TileResults } from './tiles.bench.js';
import {
  bytesEqual,
  canonicalize,
  CompactRange,
  generateSignerKey,
  leafHashOfText,
  toBase64,
  verifierKeyFor,
  verifyInclusion,
  type EventEnvelope,
} from '#ledger';

// The verifiable ledger at scale: a log of 1,000,000 events, built directly in the bench's
// own database; inclusion-proof latency through PostgresLedger; and `cuenta export` and
// `cuenta verify` on it, run as processes as an operator and a verifier run them.

export const ORIGIN = 'bench.cuenta.example/log';
export const CLI = 'dist/apps/cli/src/main.js';
const INSERT_BATCH = 10_000;

export interface VerifyRun {
  /** Worker threads (0: the main thread alone). */
  workers: number;
  /** Wall time of the whole process, start-up included. */
  seconds: number;
  eventsPerSecond: number;
}

export interface LedgerResults {
  events: number;
  checkpoints: number;
  /** Average bytes of an events.jsonl line. */
  lineBytes: number;
  buildSeconds: number;
  /** Load average (1, 5, 15 min) when the proofs were measured: they share the machine. */
  loadAtProofs: number[];
  proofs: Latency & { count: number; hashes: number; roundTrip: Latency };
  /** The log's c2sp.org/tlog-tiles resources, produced in process by LogTiles. */
  tiles: TileResults;
  export: { seconds: number; bytes: number };
  verify: { singleThread: VerifyRun; parallel: VerifyRun };
  /** Load average (1, 5, 15 min) before the verify runs. */
  loadAtVerify: number[];
  /** `cuenta mirror` over HTTP from the built API, unless skipped. */
  mirror?: MirrorResults;
}

const actor = { subject: 'planeacion-ana', role: 'steward', agency: 'secretaria-de-planeacion' };

/** An event as the store would have recorded it: ~600 bytes of canonical JSON. */
function envelope(position: number): EventEnvelope {
  return {
    id: randomUUID(),
    stream: `commitment-${position % 1000}`,
    streamVersion: Math.floor(position / 1000) + 1,
    position,
    type: 'MilestoneProgressReported',
    schemaVersion: 1,
    data: {
      commitmentId: 'ctg-2023-cartagena-cuenta',
      milestoneId: `m-${position % 7}`,
      progress: position % 101,
      evidence: {
        sha256: randomBytes(32).toString('hex'),
        url: `https://cartagena.gov.co/rendicion/${position}.pdf`,
        mediaType: 'application/pdf',
        description: 'Acta de la audiencia pública de rendición de cuentas, localidad 1',
      },
      note: `Avance reportado por la Secretaría de Planeación, registro ${position}`,
    },
    metadata: {
      actor,
      occurredAt: '2023-06-01T12:00:00.000Z',
      recordedAt: new Date(Date.UTC(2023, 5, 1, 12) + position * 1000).toISOString(),
      correlationId: `bench-${position}`,
    },
  };
}

/**
 * Writes events straight into events.events in large INSERTs, up to `count` in all, with the
 * leaf and subtree hashes the store would have written (CompactRange.append), and signs a
 * checkpoint every `checkpointEvery` events and at the end through PostgresLedger (moving
 * log_head to that size first). With `range`, the log already holds its `range.size` events
 * and the new ones follow them; `range` is then extended in place. Returns the root it
 * computed, which must be the root the ledger signs.
 */
export async function buildLog(args: {
  pool: pg.Pool;
  ledger: PostgresLedger;
  count: number;
  checkpointEvery: number;
  range?: CompactRange;
}): Promise<{ root: Uint8Array; checkpoints: number; lineBytes: number; range: CompactRange }> {
  const { pool, ledger, count } = args;
  const range = args.range ?? CompactRange.empty();
  const start = range.size;
  let lineBytes = 0;
  let checkpoints = 0;
  const inFlight = new Set<Promise<unknown>>();
  for (let from = start; from < count; from += INSERT_BATCH) {
    const to = Math.min(count, from + INSERT_BATCH);
    const rows: { envelope: EventEnvelope; hashes: Buffer }[] = [];
    for (let position = from; position < to; position++) {
      const event = envelope(position);
      const line = canonicalize(event);
      lineBytes += Buffer.byteLength(line) + 1;
      rows.push({ envelope: event, hashes: Buffer.concat(range.append(leafHashOfText(line))) });
    }
    // Two INSERTs in flight while the next batch is computed.
    if (inFlight.size >= 2) await Promise.race(inFlight);
    const insert = insertRows(pool, rows).finally(() => inFlight.delete(insert));
    inFlight.add(insert);
    const size = to;
    if (size % args.checkpointEvery === 0 || size === count) {
      await Promise.all(inFlight);
      await pool.query('UPDATE events.log_head SET size = $1', [size]);
      await ledger.signCheckpoint();
      checkpoints++;
    }
  }
  return { root: range.root(), checkpoints, lineBytes: lineBytes / (count - start), range };
}

async function insertRows(
  pool: pg.Pool,
  rows: { envelope: EventEnvelope; hashes: Buffer }[],
): Promise<void> {
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

interface Latency {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function latency(times: number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] };
}

/**
 * Latency of `count` inclusion proofs of random events in the whole tree, one at a time,
 * through PostgresLedger, each followed by a bare `SELECT 1` on the same pool: the round trip
 * alone, at the same moments, shows how much of the tail is the machine. Every proof is
 * checked against the root.
 */
async function proofLatency(args: {
  pool: pg.Pool;
  ledger: PostgresLedger;
  size: number;
  root: Uint8Array;
  count: number;
}) {
  const { pool, ledger, size, root, count } = args;
  const random = () => Math.floor(Math.random() * size);
  for (let i = 0; i < 200; i++) await ledger.inclusionProof({ position: random(), treeSize: size });
  const times: number[] = [];
  const roundTrips: number[] = [];
  let hashes = 0;
  for (let i = 0; i < count; i++) {
    const position = random();
    let started = performance.now();
    const proof = await ledger.inclusionProof({ position, treeSize: size });
    times.push(performance.now() - started);
    started = performance.now();
    await pool.query('SELECT 1');
    roundTrips.push(performance.now() - started);
    hashes += proof.hashes.length;
    verifyInclusion({ index: position, size, leafHash: proof.leafHash, proof: proof.hashes, root });
  }
  return { count, ...latency(times), roundTrip: latency(roundTrips), hashes: hashes / count };
}

/** Runs the built CLI; resolves with its wall time, or fails with its stderr. */
async function cuenta(args: string[], env: Record<string, string>) {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`cuenta ${args[0]} exited with ${code}: ${stderr.trim()}`);
  return { seconds, stdout };
}

/** A log of `events` events in the (new) database of `pool`, as the ledger bench builds it. */
export async function seedLog(pool: pg.Pool, events: number, log: (line: string) => void) {
  await runMigrations(pool);
  const signerKey = generateSignerKey(ORIGIN);
  const ledger = new PostgresLedger(pool, { origin: ORIGIN, signerKey });

  const started = performance.now();
  const built = await buildLog({
    pool,
    ledger,
    count: events,
    checkpointEvery: Math.max(INSERT_BATCH, Math.round(events / 10 / INSERT_BATCH) * INSERT_BATCH),
  });
  const latest = await ledger.latestCheckpoint();
  if (!latest || latest.size !== events || !bytesEqual(latest.rootHash, built.root)) {
    throw new Error('the ledger signed another root than the one the bench computed');
  }
  // What autovacuum and the checkpointer would have done by the time anyone asks for
  // proofs; otherwise the latencies measure the bulk load's write-back, not a proof.
  await pool.query('VACUUM (ANALYZE) events.events');
  await pool.query('CHECKPOINT').catch(() => undefined);
  const buildSeconds = (performance.now() - started) / 1000;
  log(`built ${events} events in ${buildSeconds.toFixed(1)} s (root ${toBase64(built.root)})`);
  return { signerKey, ledger, built, buildSeconds };
}

export async function benchLedger(
  url: string,
  options: { events: number; proofs: number; mirror?: boolean; log?: (line: string) => void },
): Promise<LedgerResults> {
  const log = options.log ?? (() => undefined);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-ledger-bench-'));
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    const seeded = await seedLog(pool, options.events, log);
    const { signerKey, ledger, built, buildSeconds } = seeded;

    const loadAtProofs = os.loadavg();
    const proofs = await proofLatency({
      pool,
      ledger,
      size: options.events,
      root: built.root,
      count: options.proofs,
    });
    log(
      `inclusion proofs: p50 ${proofs.p50Ms.toFixed(3)} ms, p99 ${proofs.p99Ms.toFixed(3)} ms; ` +
        `SELECT 1: p50 ${proofs.roundTrip.p50Ms.toFixed(3)} ms, p99 ${proofs.roundTrip.p99Ms.toFixed(3)} ms`,
    );

    const tiles = await benchTiles({ url, size: options.events, root: built.root, log });

    const keyFile = path.join(dir, 'log.key');
    await writeFile(keyFile, `${signerKey}\n`, { mode: 0o600 });
    const env = {
      DATABASE_URL: url,
      CUENTA_DATA_DIR: path.join(dir, 'data'),
      CUENTA_LOG_KEY_FILE: keyFile,
      CUENTA_LOG_ORIGIN: ORIGIN,
      CUENTA_WITNESS_KEYS: '',
    };
    const bundle = path.join(dir, 'bundle');
    const exported = await cuenta(['export', bundle], env);
    const bytes = (await stat(path.join(bundle, 'events.jsonl'))).size;
    log(`export: ${exported.seconds.toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(0)} MiB`);

    const verify = async (workers: number | undefined): Promise<VerifyRun> => {
      const flags = workers === undefined ? [] : ['--workers', String(workers)];
      const run = await cuenta(
        ['verify', bundle, '--key', verifierKeyFor(signerKey), ...flags],
        env,
      );
      const used = /on (\d+) workers/.exec(run.stdout);
      const result = {
        workers: used ? Number(used[1]) : 0,
        seconds: run.seconds,
        eventsPerSecond: options.events / run.seconds,
      };
      log(`verify (${result.workers} workers): ${run.stdout.trim()}`);
      return result;
    };
    const loadAtVerify = os.loadavg();
    const singleThread = await verify(0);
    const parallel = await verify(undefined);

    // Last: it grows the log by the events a mirror then picks up.
    const mirror = options.mirror
      ? await benchMirror({ url, pool, ledger, signerKey, range: built.range, log })
      : undefined;

    return {
      events: options.events,
      checkpoints: built.checkpoints,
      lineBytes: built.lineBytes,
      buildSeconds,
      loadAtProofs,
      proofs,
      tiles,
      export: { seconds: exported.seconds, bytes },
      verify: { singleThread, parallel },
      loadAtVerify,
      mirror,
    };
  } finally {
    await pool.end();
    await rm(dir, { recursive: true, force: true });
  }
}
