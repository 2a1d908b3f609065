import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { CONTEXTS } from '#contexts';
import { PostgresEventStore } from '#event-store';
import {
  contextDemos,
  contextReadModels,
  contextReadSchema,
  openReadDatabase,
  ProjectionRunner,
} from '#platform';

// The commitment query under load, from a second process: the built API (GraphQL through
// Nest, Apollo, the request gate and the resolvers), as deployed and with its read cache off,
// next to a bare node:http + pg endpoint that serves the same data from the same tables, in
// the same run.

const CODE = 'CartagenaCuenta-2023';

/** The query of ARCHITECTURE.md: one commitment with its milestones and last 20 changes. */
export const COMMITMENT_QUERY = `{
  commitment(code: "${CODE}") {
    id code title status version
    milestones { id title status progress plannedStart plannedEnd }
    history(first: 20) {
      edges { node { type position occurredAt recordedAt reason actor { subject role agency } } }
    }
  }
}`;

export interface LoadRun {
  /** The server's CPU time (user and system) over the run per request served; max runs only. */
  serverCpuMsPerRequest?: number;
  requests: number;
  errors: number;
  /** Answers from the API's read cache (its `x-cuenta-cache: hit` header). */
  cacheHits?: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface QueryLoadResults {
  /** The API as deployed, with its read cache (first round only). */
  api: { paced: LoadRun; max: LoadRun };
  /**
   * Rounds, each measuring the API as deployed while another client appends
   * `writesPerSecond` events a second, then the bare endpoint: the target's ratio is taken
   * within a round.
   */
  rounds: {
    writing: { paced: LoadRun; max: LoadRun };
    bare: { paced: LoadRun; max: LoadRun };
  }[];
  /** Load average (1, 5, 15 min) before the first round. */
  load: number[];
  writesPerSecond: number;
  /** The API with CUENTA_READ_CACHE_MB=0: every request executed (first round only). */
  uncached: { paced: LoadRun; max: LoadRun };
  /**
   * The framework alone (`framework-floor-server.ts`: Nest, Apollo, Express and pg, no code of
   * Cuenta's) answering the same query (first round only): what the uncached API can reach.
   */
  floor: { paced: LoadRun; max: LoadRun };
  rate: number;
  connections: number;
  seconds: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Appends a second while the API is measured with writes: far above a city's record keeping. */
const WRITES_PER_SECOND = 20;

/**
 * Appends one small event `perSecond` times a second to a stream of its own until stopped,
 * as another client would: each moves the log's head and the projections' checkpoints.
 */
async function writing(url: string, perSecond: number): Promise<{ stop(): Promise<void> }> {
  const store = await PostgresEventStore.open({ connectionString: url, migrate: false });
  let stopped = false;
  const done = (async () => {
    for (let n = 0; !stopped; n++) {
      await store.append(
        'bench-writer',
        [{ type: 'BenchWrite', data: { n }, metadata: { actor: null } }],
        'any',
      );
      await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      await store.close();
    },
  };
}

/** A process's CPU time so far (user and system, every thread), from /proc (Linux). */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // After the command name in parentheses: state is field 3, utime 14 and stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // In clock ticks of USER_HZ, 100 a second on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

export async function waitFor(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function start(script: string, args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Runs the load generator (test/bench/load-generator.ts) as its own process. */
export async function load(options: {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  mode: 'paced' | 'max';
  rate: number;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<LoadRun> {
  const { child, output } = start(
    path.join(here, 'load-generator.js'),
    [JSON.stringify(options)],
    {},
  );
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`load generator failed: ${output()}`);
  return JSON.parse(output().trim().split('\n').at(-1) ?? '') as LoadRun;
}

/**
 * Loads the Cartagena demo into the database at `url`, projects it, then measures both
 * endpoints: at a fixed rate (`rate` requests/s, latency percentiles) and flat out
 * (`connections` concurrent requests, throughput).
 */
export async function benchCommitmentQuery(
  url: string,
  options: {
    rate?: number;
    connections?: number;
    seconds?: number;
    runs?: number;
    log?: (line: string) => void;
  } = {},
): Promise<QueryLoadResults> {
  const runs = options.runs ?? 3;
  const rate = options.rate ?? 200;
  const connections = options.connections ?? 16;
  const seconds = options.seconds ?? 10;
  const log = options.log ?? (() => undefined);

  const store = await PostgresEventStore.open({ connectionString: url });
  const dataSource = await openReadDatabase({
    connectionString: url,
    ...contextReadSchema(CONTEXTS),
  });
  try {
    // The bench's database is new: every context's demo, as `npm start` loads it.
    for (const demo of contextDemos(CONTEXTS)) await demo.load(store);
    const projections = contextReadModels(CONTEXTS).flatMap((model) =>
      model.projections({ store, dataSource }),
    );
    await new ProjectionRunner(store, dataSource, projections, {
      connectionString: url,
    }).catchUpOnce();
  } finally {
    await dataSource.destroy();
    await store.close();
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-query-bench-'));
  const apiEnv = {
    DATABASE_URL: url,
    CUENTA_DATA_DIR: dataDir,
    CUENTA_RATE_LIMIT_ANONYMOUS: '0',
    CUENTA_DEMO: 'off',
    // As deployed (docker/Dockerfile): graphql-js and Apollo skip development-only checks.
    NODE_ENV: 'production',
    CUENTA_LOG_LEVEL: 'warn',
  };
  const graphqlBody = JSON.stringify({ query: COMMITMENT_QUERY });
  const api = { script: '../../apps/api/src/main.js', env: apiEnv, writesPerSecond: 0 };
  const servers = {
    api,
    // Every append moves the log, and so the read cache's key: its answers hold until then.
    writing: { ...api, writesPerSecond: WRITES_PER_SECOND },
    uncached: { ...api, env: { ...apiEnv, CUENTA_READ_CACHE_MB: '0' } },
    floor: {
      script: 'framework-floor-server.js',
      env: { DATABASE_URL: url, NODE_ENV: 'production' },
      writesPerSecond: 0,
    },
    bare: {
      script: 'bare-server.js',
      env: { DATABASE_URL: url, COMMITMENT_CODE: CODE },
      writesPerSecond: 0,
    },
  };
  type Name = keyof typeof servers;
  const first: Partial<Record<Name, { paced: LoadRun; max: LoadRun }>> = {};
  const rounds: QueryLoadResults['rounds'] = [];
  const loadAverage = os.loadavg();
  // One server at a time, so that each has the machine to itself.
  const measure = async (name: Name): Promise<{ paced: LoadRun; max: LoadRun }> => {
    const server = servers[name];
    const port = await freePort();
    const running = start(path.join(here, server.script), [], {
      ...server.env,
      PORT: String(port),
    });
    try {
      const graphql = name !== 'bare';
      await waitFor(
        `http://127.0.0.1:${port}/${graphql ? 'health' : ''}`,
        running.child,
        running.output,
      );
      const target = graphql
        ? { url: `http://127.0.0.1:${port}/graphql`, method: 'POST' as const, body: graphqlBody }
        : { url: `http://127.0.0.1:${port}/`, method: 'GET' as const };
      const check = await fetch(target.url, {
        method: target.method,
        headers: { 'content-type': 'application/json' },
        body: target.body,
      });
      const answer = (await check.json()) as { data?: { commitment?: { id: string } } };
      if (answer.data?.commitment?.id !== CARTAGENA_2023_ID) {
        throw new Error(`${name} does not serve the demo: ${JSON.stringify(answer)}`);
      }
      // A short warm-up, so that each is measured hot.
      await load({ ...target, mode: 'max', rate, connections, seconds: 2 });
      const writer =
        server.writesPerSecond > 0 ? await writing(url, server.writesPerSecond) : undefined;
      let paced: LoadRun;
      let max: LoadRun;
      try {
        paced = await load({ ...target, mode: 'paced', rate, connections: 64, seconds });
        const before = await cpuSeconds(running.child.pid);
        max = await load({ ...target, mode: 'max', rate, connections, seconds });
        const used = (await cpuSeconds(running.child.pid)) - before;
        max.serverCpuMsPerRequest = (used * 1000) / max.requests;
      } finally {
        await writer?.stop();
      }
      log(
        `${name}: ${rate}/s p50 ${paced.p50Ms.toFixed(2)} ms p99 ${paced.p99Ms.toFixed(2)} ms; ` +
          `flat out ${Math.round(max.perSecond)}/s, server CPU ${max.serverCpuMsPerRequest.toFixed(3)} ms/request`,
      );
      return { paced, max };
    } finally {
      running.child.kill('SIGTERM');
      const { exitCode, signalCode } = running.child;
      if (exitCode === null && signalCode === null) await once(running.child, 'exit');
    }
  };
  try {
    first.api = await measure('api');
    first.uncached = await measure('uncached');
    first.floor = await measure('floor');
    for (let run = 0; run < runs; run++) {
      const round = { writing: await measure('writing'), bare: await measure('bare') };
      rounds.push(round);
      log(
        `round ${run + 1}: ${(round.writing.max.perSecond / round.bare.max.perSecond).toFixed(2)}x the bare endpoint with ${WRITES_PER_SECOND} writes/s`,
      );
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  const { api: cached, uncached, floor } = first;
  if (!cached || !uncached || !floor) throw new Error('a target was not measured');
  return {
    api: cached,
    rounds,
    load: loadAverage,
    writesPerSecond: WRITES_PER_SECOND,
    uncached,
    floor,
    rate,
    connections,
    seconds,
  };
}
