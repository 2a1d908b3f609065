import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
const here = path.dirname(fileURLToPath(import.meta.url));
const INSERT_BATCH = 10_000;

export interface VerifyRun {
  /** Worker threads (0: the main thread alone). */
  workers: number;
  /** Wall time of the whole process, start-up included. */
  seconds: number;
  /** CPU time of the whole process, every thread, user and system. */
  cpuSeconds: number;
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
  /** Rounds of proofs, each interleaved with its baseline. */
  proofs: ProofRound[];
  /** The log's c2sp.org/tlog-tiles resources, produced in process by LogTiles. */
  tiles: TileResults;
  export: { seconds: number; bytes: number };
  /** The verifier on one thread, once: how much each line costs beyond the bare loop. */
  singleThread: VerifyRun;
  /** Rounds of the bare loop (its wall time) and then `cuenta verify` with its default workers. */
  verify: { bare: { seconds: number; cpuSeconds: number }; parallel: VerifyRun }[];
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

export interface ProofRound extends Latency {
  count: number;
  /** Rows each proof reads by primary key on average: its leaf and its stored hashes. */
  rows: number;
  /** The baseline: as many rows by primary key in one statement, between the proofs. */
  lookup: Latency;
  /** A bare `SELECT 1` between the proofs, on the same pool: the round trip alone. */
  roundTrip: Latency;
}

/**
 * `count` inclusion proofs of random events in the whole tree, one at a time, through
 * PostgresLedger, interleaved on the same pool with the baseline: a statement that reads as
 * many rows of events.events (random positions, leaf hash and stored subtree hashes) by
 * primary key as the proof before it read, and a bare `SELECT 1`. Which of the two comes
 * first alternates, so that neither always follows the other. Every proof is checked against
 * the root.
 */
async function proofRound(args: {
  pool: pg.Pool;
  ledger: PostgresLedger;
  size: number;
  root: Uint8Array;
  count: number;
}): Promise<ProofRound> {
  const { pool, ledger, size, root, count } = args;
  const random = () => Math.floor(Math.random() * size);
  const times: number[] = [];
  const lookups: number[] = [];
  const roundTrips: number[] = [];
  let rows = 0;
  const lookup = async (n: number) => {
    const positions = Array.from({ length: n }, random);
    const started = performance.now();
    const found = await pool.query(
      'SELECT global_position, event_id, hashes FROM events.events WHERE global_position = ANY($1::bigint[])',
      [positions],
    );
    lookups.push(performance.now() - started);
    if (found.rows.length !== new Set(positions).size) throw new Error('a row is missing');
  };
  const selectOne = async () => {
    const started = performance.now();
    await pool.query('SELECT 1');
    roundTrips.push(performance.now() - started);
  };
  for (let i = 0; i < count; i++) {
    const position = random();
    const started = performance.now();
    const proof = await ledger.inclusionProof({ position, treeSize: size });
    times.push(performance.now() - started);
    verifyInclusion({ index: position, size, leafHash: proof.leafHash, proof: proof.hashes, root });
    // The leaf's row and one row per stored hash: the rows the proof's statement read.
    const read = proof.hashes.length + 1;
    rows += read;
    if (i % 2 === 0) {
      await lookup(read);
      await selectOne();
    } else {
      await selectOne();
      await lookup(read);
    }
  }
  return {
    count,
    ...latency(times),
    rows: rows / count,
    lookup: latency(lookups),
    roundTrip: latency(roundTrips),
  };
}

/**
 * The verifier's baseline (bare-verify.ts) as a process of its own, as the verifier runs:
 * one thread, JSON.parse and SHA-256 on each line of events.jsonl. Resolves with its wall
 * time (start-up included, as the verifier's) and its CPU time.
 */
async function bareVerifyLoop(
  file: string,
): Promise<{ seconds: number; cpuSeconds: number; lines: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(here, 'bare-verify.js'), file]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'close');
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`the bare loop exited with ${code}: ${stderr.trim()}`);
  const { lines, cpuSeconds } = JSON.parse(stdout) as { lines: number; cpuSeconds: number };
  return { seconds, cpuSeconds, lines };
}

/**
 * Loaded before the CLI: when the process exits, writes its CPU time (user and system, every
 * thread, in microseconds) as the last line of stderr. Pipes are written synchronously.
 */
const CPU_PROBE = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\ncpu-microseconds ${u.user + u.system}\\n`); });",
)}`;

/** Runs the built CLI; resolves with its wall and CPU time, or fails with its stderr. */
async function cuenta(args: string[], env: Record<string, string>) {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', CPU_PROBE, CLI, ...args], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'close');
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`cuenta ${args[0]} exited with ${code}: ${stderr.trim()}`);
  const cpu = /cpu-microseconds (\d+)/.exec(stderr);
  if (!cpu) throw new Error(`cuenta ${args[0]} did not report its CPU time: ${stderr.trim()}`);
  return { seconds, cpuSeconds: Number(cpu[1]) / 1e6, stdout };
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
  options: {
    events: number;
    proofs: number;
    runs?: number;
    mirror?: boolean;
    log?: (line: string) => void;
  },
): Promise<LedgerResults> {
  const log = options.log ?? (() => undefined);
  const runs = options.runs ?? 3;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-ledger-bench-'));
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    const seeded = await seedLog(pool, options.events, log);
    const { signerKey, ledger, built, buildSeconds } = seeded;

    const loadAtProofs = os.loadavg();
    const random = () => Math.floor(Math.random() * options.events);
    // Warm-up: the pool's connections and the upper levels of the index.
    for (let i = 0; i < 200; i++) {
      await ledger.inclusionProof({ position: random(), treeSize: options.events });
    }
    const proofs: ProofRound[] = [];
    for (let run = 0; run < runs; run++) {
      const round = await proofRound({
        pool,
        ledger,
        size: options.events,
        root: built.root,
        count: options.proofs,
      });
      proofs.push(round);
      log(
        `inclusion proofs, round ${run + 1}: p50 ${round.p50Ms.toFixed(3)} ms, p99 ${round.p99Ms.toFixed(3)} ms; ` +
          `${round.rows.toFixed(1)} rows by primary key: p50 ${round.lookup.p50Ms.toFixed(3)} ms, p99 ${round.lookup.p99Ms.toFixed(3)} ms; ` +
          `SELECT 1: p50 ${round.roundTrip.p50Ms.toFixed(3)} ms, p99 ${round.roundTrip.p99Ms.toFixed(3)} ms`,
      );
    }

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
        cpuSeconds: run.cpuSeconds,
        eventsPerSecond: options.events / run.seconds,
      };
      log(
        `verify (${result.workers} workers, CPU ${run.cpuSeconds.toFixed(2)} s): ${run.stdout.trim()}`,
      );
      return result;
    };
    const loadAtVerify = os.loadavg();
    const singleThread = await verify(0);
    const rounds: LedgerResults['verify'] = [];
    for (let run = 0; run < runs; run++) {
      const bare = await bareVerifyLoop(path.join(bundle, 'events.jsonl'));
      if (bare.lines !== options.events) {
        throw new Error(`events.jsonl has ${bare.lines} lines, not ${options.events}`);
      }
      log(
        `bare loop, round ${run + 1}: ${bare.seconds.toFixed(2)} s (CPU ${bare.cpuSeconds.toFixed(2)} s), ${Math.round(bare.lines / bare.seconds)} lines/s`,
      );
      rounds.push({
        bare: { seconds: bare.seconds, cpuSeconds: bare.cpuSeconds },
        parallel: await verify(undefined),
      });
    }

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
      singleThread,
      verify: rounds,
      loadAtVerify,
      mirror,
    };
  } finally {
    await pool.end();
    await rm(dir, { recursive: true, force: true });
  }
}
