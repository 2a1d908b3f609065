import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CARTAGENA_2023_AGENCY_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import { cartagenaRegistration } from '../support/cartagena.js';
import { startPgCluster, startStandby, type PgCluster } from '../support/pg-cluster.js';
import { graphql as post } from '../support/server.js';
import type { MixedLoadOptions, MixedLoadOutput } from './mixed-load-generator.js';
import { COMMITMENT_QUERY, freePort, start, waitFor } from './query-load.bench.js';

// Issue 16's mixed load, through the built API as deployed (NODE_ENV=production, read cache
// on), from a second process (test/bench/mixed-load-generator.ts): reads of four kinds in
// turn at a fixed rate, writes at a fixed rate, and graphql-ws subscribers that must each
// receive every event. Run twice, each on a PostgreSQL server of its own started for the
// run: once on the primary alone, once with a streaming replica (pg_basebackup -R, a hot
// standby) as DATABASE_READ_URL. Both servers run with fsync off (as the tests' do), so the
// two runs differ only by the replica.

export interface MixedLoadRun extends MixedLoadOutput {
  replica: boolean;
  /** The API process over the measured window: CPU seconds (user + system) per second. */
  apiCpu: number;
  /** The API's resident memory: at the start of the window, and the highest sampled. */
  apiRssStartMiB: number;
  apiRssPeakMiB: number;
  /** Commitments in the read model when the run ended (the seed, the demo and the writes). */
  commitments: number;
}

export interface MixedLoadResults {
  readRate: number;
  writeRate: number;
  subscribers: number;
  seconds: number;
  runs: MixedLoadRun[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Commitments registered before the load, so that lists and filters have rows to go through. */
const SEED_COMMITMENTS = 200;

const FILTERED_LIST = `query {
  commitments(first: 20, filter: { status: [DRAFT, PUBLISHED, IN_PROGRESS], text: "accountability" }) {
    totalCount
    edges { node { id code title status leadAgency { id name } } }
  }
}`;

const HISTORY_PAGE = `query ($code: String!, $after: String) {
  commitment(code: $code) {
    history(first: 10, after: $after) {
      edges { cursor node { type position occurredAt recordedAt reason } }
      pageInfo { hasNextPage }
    }
  }
}`;

const PROOF = `query ($position: Int!) {
  inclusionProof(position: $position) { position treeSize leafHash hashes }
}`;

const REGISTER = `mutation ($input: RegisterCommitmentInput!) {
  registerCommitment(input: $input) { streamVersion positions }
}`;

/** One GraphQL request through the support client; its data, or an error naming the errors. */
async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const { body } = await post(url, query, variables, headers);
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks / 100; // USER_HZ is 100 on Linux
}

async function rssMiBOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

async function runOnce(
  withReplica: boolean,
  options: { readRate: number; writeRate: number; subscribers: number; seconds: number },
  log: (line: string) => void,
): Promise<MixedLoadRun> {
  const primary = await startPgCluster('cuenta');
  let standby: PgCluster | undefined;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-mixed-bench-'));
  try {
    if (withReplica) standby = await startStandby(primary, 'cuenta');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = start(path.join(here, '../../apps/api/src/main.js'), [], {
      DATABASE_URL: primary.url,
      ...(standby ? { DATABASE_READ_URL: standby.url } : {}),
      CUENTA_DATA_DIR: dataDir,
      CUENTA_DEMO: 'on',
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
      CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
      NODE_ENV: 'production',
      CUENTA_LOG_LEVEL: 'warn',
      PORT: String(port),
    });
    try {
      await waitFor(`${url}/health/ready`, api.child, api.output);
      const { mint } = await localTokens(dataDir);
      const steward = bearer(
        await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID], subject: 'bench' }),
      );
      // The seed: commitments registered through the API, one request each.
      let last = 0;
      for (let i = 0; i < SEED_COMMITMENTS; i++) {
        const input = cartagenaRegistration({ commitmentId: `seed-${i}`, code: `Seed-${i}` });
        const data = await graphql(url, REGISTER, { input }, steward);
        last = Math.max(last, ...(data.registerCommitment as { positions: number[] }).positions);
      }
      // Read models caught up with the seed (the read waits for the position).
      await graphql(
        url,
        `
          query ($p: Int) {
            commitments(first: 1, minPosition: $p) {
              totalCount
            }
          }
        `,
        {
          p: last,
        },
      );
      const code = 'CartagenaCuenta-2023';
      const firstPage = await graphql(url, HISTORY_PAGE, { code });
      const edges = (firstPage.commitment as { history: { edges: { cursor: string }[] } }).history
        .edges;
      const after = edges.at(-1)?.cursor;
      const generatorOptions: MixedLoadOptions = {
        url,
        seconds: options.seconds,
        readRate: options.readRate,
        reads: [
          { kind: 'commitment', query: COMMITMENT_QUERY },
          { kind: 'filtered list', query: FILTERED_LIST },
          { kind: 'history page', query: HISTORY_PAGE, variables: { code, after } },
          { kind: 'inclusion proof', query: PROOF, variables: { position: Math.floor(last / 2) } },
        ],
        writeRate: options.writeRate,
        write: {
          query: REGISTER,
          input: cartagenaRegistration({ commitmentId: 'mixed-{n}', code: 'Mixed-{n}' }),
          headers: steward,
        },
        subscribers: options.subscribers,
        from: last + 1,
      };

      // The API's CPU and memory while the generator runs.
      const pid = api.child.pid ?? 0;
      const generator = start(
        path.join(here, 'mixed-load-generator.js'),
        [JSON.stringify(generatorOptions)],
        {},
      );
      const cpuBefore = await cpuSecondsOf(pid);
      const rssStart = await rssMiBOf(pid);
      let rssPeak = rssStart;
      const sampler = setInterval(() => {
        void rssMiBOf(pid).then((rss) => (rssPeak = Math.max(rssPeak, rss)));
      }, 250);
      const startedAt = Date.now();
      const [exitCode] = await once(generator.child, 'exit');
      clearInterval(sampler);
      const cpu = (await cpuSecondsOf(pid)) - cpuBefore;
      const window = (Date.now() - startedAt) / 1000;
      if (exitCode !== 0) throw new Error(`mixed-load generator failed: ${generator.output()}`);
      const output = JSON.parse(
        generator.output().trim().split('\n').at(-1) ?? '',
      ) as MixedLoadOutput;
      const total = await graphql(url, '{ commitments(first: 1) { totalCount } }');
      const run: MixedLoadRun = {
        ...output,
        replica: withReplica,
        apiCpu: cpu / window,
        apiRssStartMiB: rssStart,
        apiRssPeakMiB: rssPeak,
        commitments: (total.commitments as { totalCount: number }).totalCount,
      };
      log(
        `mixed load${withReplica ? ' with a replica' : ''}: reads p50 ${run.reads.p50Ms.toFixed(1)} ms ` +
          `p99 ${run.reads.p99Ms.toFixed(1)} ms, ${run.reads.errors} errors; writes p99 ` +
          `${run.writes.p99Ms.toFixed(1)} ms, ${run.writes.errors} errors; subscribers complete ` +
          `${run.subscribers.complete}/${run.subscribers.count}` +
          (run.firstError ? `; first error: ${run.firstError}` : ''),
      );
      return run;
    } finally {
      api.child.kill('SIGTERM');
      if (api.child.exitCode === null && api.child.signalCode === null) {
        await once(api.child, 'exit');
      }
    }
  } finally {
    await standby?.destroy();
    await primary.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The mixed load on the primary alone, then with a streaming replica. */
export async function benchMixedLoad(
  options: {
    readRate?: number;
    writeRate?: number;
    subscribers?: number;
    seconds?: number;
    /** Also the run with a streaming replica (default true). */
    replica?: boolean;
    log?: (line: string) => void;
  } = {},
): Promise<MixedLoadResults> {
  const settings = {
    readRate: options.readRate ?? 200,
    writeRate: options.writeRate ?? 20,
    subscribers: options.subscribers ?? 200,
    seconds: options.seconds ?? 30,
  };
  const log = options.log ?? (() => undefined);
  const runs = [await runOnce(false, settings, log)];
  if (options.replica ?? true) runs.push(await runOnce(true, settings, log));
  return { ...settings, runs };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export function renderMixedLoad(results: MixedLoadResults): string {
  const row = (run: MixedLoadRun) => {
    const delivered = run.subscribers.complete === run.subscribers.count;
    const met =
      run.reads.p99Ms < 50 &&
      run.reads.errors === 0 &&
      run.writes.errors === 0 &&
      run.subscribers.errors === 0 &&
      delivered;
    return `| ${run.replica ? 'with a streaming replica' : 'primary only'} | ${run.reads.requests.toLocaleString('en-US')} | ${ms(run.reads.p50Ms)} | ${ms(run.reads.p99Ms)} | ${run.reads.errors} | ${run.writes.requests} | ${ms(run.writes.p99Ms)} | ${run.writes.errors} | ${run.subscribers.complete} of ${run.subscribers.count} (${run.subscribers.expected} events each; ${run.subscribers.missing} missing, ${run.subscribers.duplicates} twice) | ${ms(run.subscribers.deliveryP99Ms)} | ${(run.apiCpu * 100).toFixed(0)}% | ${run.apiRssStartMiB.toFixed(0)} / ${run.apiRssPeakMiB.toFixed(0)} MiB | ${met ? 'met' : 'missed'} |`;
  };
  const kinds = (run: MixedLoadRun) =>
    Object.entries(run.readsByKind)
      .map(
        ([kind, latencies]) =>
          `${kind} p50 ${ms(latencies.p50Ms)} / p99 ${ms(latencies.p99Ms)} (${latencies.errors} errors)`,
      )
      .join('; ');
  return `
## Mixed load

The built API as deployed (\`NODE_ENV=production\`, read cache on), from a second process
(\`test/bench/mixed-load-generator.ts\`, open loop) for ${results.seconds} s: ${results.readRate} reads/s
taken in turn from four kinds (the commitment query of ARCHITECTURE.md; a filtered list of
20 commitments by status and text; the second page of 10 of a commitment's history; an
inclusion proof by position), ${results.writeRate} writes/s (\`registerCommitment\` as a
steward), and ${results.subscribers} graphql-ws connections, each subscribed to
\`eventsAppended\` from the position after the seed, each of which must receive every event
once and in order. Each run has a PostgreSQL server of its own (fsync off, as the tests'),
seeded through the API with the demo and ${SEED_COMMITMENTS} more commitments; the second run
adds a hot standby (\`pg_basebackup -R\`, streaming replication) as \`DATABASE_READ_URL\`, so
the read-only requests read there. API CPU is the API process's user + system time over the
window, per second (100% is one core of the 2); memory is its resident set at the start and
its highest sample (every 250 ms). Delivery is the time from a write's answer to the moment
the last subscriber had its events; it is negative when every subscriber had them before the
writer had its answer, which waits for the read models to hold the write.

| run | reads | p50 | p99 | read errors | writes | write p99 | write errors | subscribers that received every event | delivery p99 (write answered to last subscriber) | API CPU | API RSS start / peak | target (p99 < 50 ms, no errors, every event to every subscriber) |
|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|
${results.runs.map(row).join('\n')}

By kind: ${results.runs.map((run) => `${run.replica ? 'with the replica' : 'primary only'}: ${kinds(run)}`).join('. ')}.
${results.runs
  .filter((run) => run.firstError)
  .map(
    (run) =>
      `\nFirst error (${run.replica ? 'with the replica' : 'primary only'}): ${run.firstError}\n`,
  )
  .join('')}`;
}
