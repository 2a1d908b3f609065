import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CONTEXTS } from '#contexts';
import { contextReadSchema, openReadDatabase } from '#platform';
import type { PostgresLedger } from '#transparency';
import { bytesEqual, CompactRange, TILE_WIDTH, toBase64, verifierKeyFor } from '#ledger';
import { buildLog, CLI, ORIGIN, seedLog } from './ledger.bench.js';
import { freePort } from '../support/server.js';

// `cuenta mirror` at scale, as a mirror runs: a process of its own reading the tiles over
// HTTP from the built API (a process too, run as deployed), both on this machine. Measured:
// a first full mirror of the whole log, then picking up 1,000 new events. Baselines in the
// same run, against the same API: the same tiles and entry bundles fetched over HTTP with
// nothing verified (tile-fetcher.ts), and `cuenta verify --workers 0` on the mirror's bundle,
// the verifier's own parse, canonical-form and SHA-256 loop on one thread with no HTTP.

const here = path.dirname(fileURLToPath(import.meta.url));
/** The resources the baseline keeps in flight: the mirror fetches 8 tiles ahead, 2 each. */
const BASELINE_IN_FLIGHT = 16;
/** The events a mirror picks up in the second measure. */
export const NEW_EVENTS = 1000;

/** CPU time in seconds (user + system). */
export interface Cpu {
  user: number;
  system: number;
}

export interface MirrorPass {
  /** Wall time of the client process, start-up included. */
  seconds: number;
  /** CPU time of the client process (all its threads). */
  client: Cpu;
  /** CPU time of the API process while the client ran. */
  server: Cpu;
}

export interface MirrorResults {
  events: number;
  /**
   * The API storing every full entry bundle of the log, which it does in the background as a
   * log grows; the bench writes its log at once, so the API catches up before the passes.
   */
  bundles: { count: number; alreadyStored: number; seconds: number; server: Cpu };
  /** Resources a first full mirror fetches (checkpoint, level-0 tiles, entry bundles). */
  resources: number;
  /** Bytes of those resources, as the client reads them (bundles decompressed). */
  bytes: number;
  /** The baseline: the same resources over HTTP, nothing verified; against a fresh API. */
  fetchOnly: MirrorPass;
  /** `cuenta mirror` into an empty folder; against a fresh API. */
  first: MirrorPass & { tilesFetched: number; reported: number };
  /** `cuenta verify --workers 0` of the first mirror's bundle (no HTTP, no API). */
  verify: { seconds: number; client: Cpu; stdout: string };
  /** `cuenta mirror` again after NEW_EVENTS more events and a new checkpoint. */
  pickUp: MirrorPass & { events: number; tilesFetched: number; reported: number };
  /** The same, with nothing new: the cost of a run that only reads the checkpoint. */
  unchanged: MirrorPass & { reported: number };
  /** Load average (1, 5, 15 min) before the first pass. */
  load: number[];
}

/**
 * The mirror measures on a log of `range.size` events already in the database at `url`,
 * signed by `signerKey` through `ledger`. Grows the log by NEW_EVENTS events.
 */
export async function benchMirror(args: {
  url: string;
  pool: pg.Pool;
  ledger: PostgresLedger;
  signerKey: string;
  range: CompactRange;
  log?: (line: string) => void;
}): Promise<MirrorResults> {
  const log = args.log ?? (() => undefined);
  const { pool, ledger, range } = args;
  const events = range.size;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-mirror-bench-'));
  try {
    await readModelsAtHead(args.url, events);
    const keyFile = path.join(dir, 'log.key');
    await writeFile(keyFile, `${args.signerKey}\n`, { mode: 0o600 });
    const apiEnv = {
      DATABASE_URL: args.url,
      CUENTA_DATA_DIR: path.join(dir, 'data'),
      CUENTA_LOG_KEY_FILE: keyFile,
      CUENTA_LOG_ORIGIN: ORIGIN,
      CUENTA_WITNESS_KEYS: '',
      // The bench signs the checkpoints; the API only serves them.
      CUENTA_CHECKPOINT_INTERVAL_SECONDS: '86400',
      CUENTA_CHECKPOINT_EVERY_EVENTS: '1000000',
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
      CUENTA_DEMO: 'off',
      NODE_ENV: 'production',
      CUENTA_LOG_LEVEL: 'warn',
    };
    const key = verifierKeyFor(args.signerKey);
    const mirrorDir = path.join(dir, 'mirror');
    const mirror = (api: Api) =>
      runClient(CLI, ['mirror', '--server', api.url, '--dir', mirrorDir, '--key', key], api);

    const count = Math.floor(events / TILE_WIDTH);
    // The ledger bench's tiles measure, run before, stores them as it reads them.
    const alreadyStored = await storedBundles(pool);
    const bundles = await withApi(apiEnv, async (api) => {
      const before = await api.cpu();
      const started = performance.now();
      await bundlesStored(pool, count);
      const seconds = (performance.now() - started) / 1000;
      const after = await api.cpu();
      return {
        count,
        alreadyStored,
        seconds,
        server: { user: after.user - before.user, system: after.system - before.system },
      };
    });
    log(
      `stored ${count} entry bundles: ${bundles.seconds.toFixed(1)} s (API CPU ${cpuText(bundles.server)})`,
    );

    const load = os.loadavg();
    // Each full pass against an API started for it, its tile cache empty.
    const fetchOnly = await withApi(apiEnv, (api) =>
      runClient(
        path.join(here, 'tile-fetcher.js'),
        [api.url, String(events), String(BASELINE_IN_FLIGHT)],
        api,
      ),
    );
    const fetched = JSON.parse(fetchOnly.stdout) as { resources: number; bytes: number };
    log(
      `fetch only: ${fetchOnly.seconds.toFixed(1)} s for ${fetched.resources} resources, ` +
        `${(fetched.bytes / 2 ** 20).toFixed(0)} MiB (client CPU ${cpuText(fetchOnly.client)}, API CPU ${cpuText(fetchOnly.server)})`,
    );
    const first = await withApi(apiEnv, mirror);
    log(
      `first mirror: ${first.stdout.trim()} (client CPU ${cpuText(first.client)}, API CPU ${cpuText(first.server)})`,
    );
    const verify = await runClient(CLI, ['verify', mirrorDir, '--key', key, '--workers', '0']);
    log(
      `verify --workers 0 of the mirror: ${verify.seconds.toFixed(1)} s: ${verify.stdout.trim()}`,
    );

    const { pickUp, unchanged } = await withApi(apiEnv, async (api) => {
      // The API has served the log; the new events come while it runs.
      await buildLog({
        pool,
        ledger,
        count: events + NEW_EVENTS,
        checkpointEvery: NEW_EVENTS,
        range,
      });
      const latest = await ledger.latestCheckpoint();
      if (!latest || !bytesEqual(latest.rootHash, range.root())) {
        throw new Error('the ledger signed another root than the one the bench computed');
      }
      // Whatever the API does about new events (its projection runner reads them) is done
      // before the mirror is timed, as it would be by the time a mirror's next run comes.
      await quiet(api);
      const pickUp = await mirror(api);
      const unchanged = await mirror(api);
      return { pickUp, unchanged };
    });
    log(`pick-up of ${NEW_EVENTS}: ${pickUp.stdout.trim()}`);
    log(`unchanged: ${unchanged.stdout.trim()}`);
    const expected = `root ${toBase64(range.root())}`;
    if (!pickUp.stdout.includes(expected)) throw new Error('the mirror holds another root');

    return {
      events,
      bundles,
      resources: fetched.resources,
      bytes: fetched.bytes,
      fetchOnly,
      first: {
        ...first,
        tilesFetched: tilesFetched(first.stdout),
        reported: reported(first.stdout),
      },
      verify,
      pickUp: {
        ...pickUp,
        events: NEW_EVENTS,
        tilesFetched: tilesFetched(pickUp.stdout),
        reported: reported(pickUp.stdout),
      },
      unchanged: { ...unchanged, reported: reported(unchanged.stdout) },
      load,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `npm run bench -- --mirror-only`: a log of `events` in the new database at `url`, then the mirror. */
export async function benchMirrorOnly(
  url: string,
  options: { events: number; log?: (line: string) => void },
): Promise<MirrorResults> {
  const log = options.log ?? (() => undefined);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection ended from outside (other work on a shared server) is replaced at
  // the next query; without a listener it would end the bench.
  pool.on('error', () => undefined);
  try {
    const { signerKey, ledger, built } = await seedLog(pool, options.events, log);
    return await benchMirror({ url, pool, ledger, signerKey, range: built.range, log });
  } finally {
    await pool.end();
  }
}

/**
 * Migrates the read side and sets every projection's checkpoint at the log's head: the
 * bench's events are of no read model, and a runner catching up on them would take the CPU
 * the mirror is measured on (and keep /health from answering ready).
 */
export async function readModelsAtHead(url: string, size: number): Promise<void> {
  const dataSource = await openReadDatabase({
    connectionString: url,
    ...contextReadSchema(CONTEXTS),
  });
  try {
    const names = CONTEXTS.flatMap((context) => context.readModels)
      .flatMap((model) => model.projections({ store: undefined as never, dataSource }))
      .map((projection) => projection.name);
    await dataSource.query(
      `INSERT INTO read.projection_checkpoints (name, position) SELECT unnest($1::text[]), $2
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
      [names, size],
    );
  } finally {
    await dataSource.destroy();
  }
}

interface Api {
  url: string;
  /** CPU time the API process has used so far. */
  cpu(): Promise<Cpu>;
}

/** Starts the built API, runs `work` against it, stops it. */
async function withApi<T>(env: Record<string, string>, work: (api: Api) => Promise<T>): Promise<T> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  try {
    const url = `http://127.0.0.1:${port}`;
    await ready(`${url}/log/checkpoint`, child, () => output);
    return await work({ url, cpu: () => procCpu(child.pid as number) });
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/** Waits until `count` entry bundles are stored, looking every 200 ms, for at most 30 minutes. */
async function bundlesStored(pool: pg.Pool, count: number): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const stored = await storedBundles(pool);
    if (stored >= count) return;
    if (Date.now() > deadline) {
      throw new Error(`the API stored ${stored} of ${count} entry bundles in 30 minutes`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function storedBundles(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ stored: number }>(
    'SELECT count(*)::int AS stored FROM events.entry_bundles',
  );
  return rows[0].stored;
}

/** Waits until the API used under 20 ms of CPU in a second, for at most 60 s. */
async function quiet(api: Api): Promise<void> {
  const total = (cpu: Cpu) => cpu.user + cpu.system;
  let before = total(await api.cpu());
  for (let i = 0; i < 60; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = total(await api.cpu());
    if (now - before < 0.02) return;
    before = now;
  }
}

/** A process's CPU time from /proc/<pid>/stat (utime and stime, in clock ticks of 1/100 s). */
async function procCpu(pid: number): Promise<Cpu> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

async function ready(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the API exited with ${child.exitCode}: ${output()}`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs a built script as a client process with cpu-report.js preloaded; resolves with its
 * wall time, its CPU time and its stdout, and the API's CPU time meanwhile (with `api`).
 */
async function runClient(
  script: string,
  args: string[],
  api?: Api,
): Promise<MirrorPass & { stdout: string }> {
  const before = await api?.cpu();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', path.join(here, 'cpu-report.js'), script, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - started) / 1000;
  const after = await api?.cpu();
  const usage = /^cpu-usage (.*)$/m.exec(stderr);
  if (code !== 0 || !usage) {
    throw new Error(`${path.basename(script)} ${args[0]} exited with ${code}: ${stderr.trim()}`);
  }
  const micros = JSON.parse(usage[1]) as { user: number; system: number };
  return {
    seconds,
    stdout,
    client: { user: micros.user / 1e6, system: micros.system / 1e6 },
    server:
      before && after
        ? { user: after.user - before.user, system: after.system - before.system }
        : { user: 0, system: 0 },
  };
}

function tilesFetched(stdout: string): number {
  const match = /([\d,]+) tiles? fetched/.exec(stdout);
  if (!match) throw new Error(`cuenta mirror said: ${stdout}`);
  return Number(match[1].replace(/,/g, ''));
}

/** The time `cuenta mirror` reports for its work, start-up of the process aside. */
function reported(stdout: string): number {
  const match = /; ([\d.]+) s\n?$/.exec(stdout.trim());
  if (!match) throw new Error(`cuenta mirror said: ${stdout}`);
  return Number(match[1]);
}

export function cpuText(cpu: Cpu): string {
  return `${(cpu.user + cpu.system).toFixed(1)} s`;
}

/** The issue's figure for a first full mirror. */
export const MIRROR_TARGET = 50_000;

/** `load`: the load average when the run started, shown when the mirror runs alone. */
export function renderMirror(results: MirrorResults, load?: number[]): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const cpu = (c: Cpu) => `${(c.user + c.system).toFixed(1)} s`;
  const rate = (seconds: number) => `${n(results.events / seconds)} events/s`;
  const { first, fetchOnly, verify, pickUp, unchanged } = results;
  const firstRate = results.events / first.seconds;
  const cpu1 = (c: Cpu) => c.user + c.system;
  const cpuOf = (pass: MirrorPass) => cpu1(pass.client) + cpu1(pass.server);
  // The issue's rate as a ratio: the mirror's time over the fetch-only baseline's.
  const targetRatio = results.events / MIRROR_TARGET / fetchOnly.seconds;
  const machine = load
    ? `\nMeasured by \`npm run bench -- --mirror-only\` on ${new Date().toISOString().slice(0, 10)}, on ${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'unknown'} with ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node.js ${process.version}; load average at start ${load.map((l) => l.toFixed(2)).join(', ')}.\n`
    : '';
  return `
## Mirror
${machine}
\`cuenta mirror\` as an oversight body runs it: a process of its own reading the log of
${n(results.events)} events over HTTP from the built API (run as deployed, a process too, on
the same machine), through its c2sp.org/tlog-tiles endpoints: ${n(results.resources)}
resources (the checkpoint, every level-0 hash tile and entry bundle), ${(results.bytes / 2 ** 20).toFixed(0)} MiB
as read (bundles arrive gzipped and are inflated). Each full pass runs against an API started
for it, its tile cache empty. The API serves each full entry bundle as it stored it,
gzip-compressed, once: it stores them in the background as a log grows, and this log was
written at once, so before the passes an API caught up on its ${n(results.bundles.count)} full
bundles (${results.bundles.alreadyStored === 0 ? '' : `${n(results.bundles.alreadyStored)} of them already stored by the tiles measure; `}${results.bundles.seconds.toFixed(1)} s, ${cpu(results.bundles.server)} of API CPU). Wall time is the client process's,
start-up included; CPU time is user + system, of the client (all its threads) and of the API
while the client ran. Load average before the first pass: ${results.load.map((l) => l.toFixed(2)).join(', ')}.

| measure | wall time | rate | client CPU | API CPU | events per CPU second (client + API) | target | |
|---|---:|---:|---:|---:|---:|---:|---|
| baseline: the same resources fetched, nothing verified or written (${BASELINE_IN_FLIGHT} in flight) | ${fetchOnly.seconds.toFixed(1)} s | ${rate(fetchOnly.seconds)} | ${cpu(fetchOnly.client)} | ${cpu(fetchOnly.server)} | ${n(results.events / cpuOf(fetchOnly))} | | |
| baseline: \`cuenta verify --workers 0\` of the mirror's bundle (no HTTP, no API) | ${verify.seconds.toFixed(1)} s | ${rate(verify.seconds)} | ${cpu(verify.client)} | | ${n(results.events / (verify.client.user + verify.client.system))} | | |
| \`cuenta mirror\`, first full mirror into an empty folder (${n(first.tilesFetched)} tiles fetched; ${first.reported.toFixed(1)} s as it reports) | ${first.seconds.toFixed(1)} s | ${rate(first.seconds)} | ${cpu(first.client)} | ${cpu(first.server)} | ${n(results.events / cpuOf(first))} | ${n(MIRROR_TARGET)} events/s | ${firstRate >= MIRROR_TARGET ? 'met' : 'missed'} |
| the same, as a ratio to the fetch-only baseline | ${(first.seconds / fetchOnly.seconds).toFixed(2)} x | | ${(cpu1(first.client) / cpu1(fetchOnly.client)).toFixed(2)} x | ${(cpu1(first.server) / cpu1(fetchOnly.server)).toFixed(2)} x | ${(cpuOf(first) / cpuOf(fetchOnly)).toFixed(2)} x the CPU | ${targetRatio.toFixed(2)} x the baseline's wall time | ${first.seconds / fetchOnly.seconds <= targetRatio ? 'met' : 'missed'} |
| \`cuenta mirror\` picking up ${n(pickUp.events)} new events (${n(pickUp.tilesFetched)} tiles fetched; ${pickUp.reported.toFixed(2)} s as it reports) | ${pickUp.seconds.toFixed(2)} s | | ${cpu(pickUp.client)} | ${cpu(pickUp.server)} | | | |
| \`cuenta mirror\` with nothing new (the checkpoint only; ${unchanged.reported.toFixed(2)} s as it reports) | ${unchanged.seconds.toFixed(2)} s | | ${cpu(unchanged.client)} | ${cpu(unchanged.server)} | | | |

The issue's 50,000 events/s is a wall-clock rate; stated against this run's baseline it is
${targetRatio.toFixed(2)} x the time the same tiles take to fetch with nothing verified
(${n(results.events / fetchOnly.seconds)} events/s here). The events per CPU second of client
and API together bound the rate on a machine whose cores serve both: at most the number of
cores times that figure.
`;
}
