import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

// The mixed load of test/bench/mixed-load.bench.ts, run as its own process so that it does
// not share a thread with the API it measures. Open loop: reads and writes are sent on their
// own clocks whatever the answers do, so a slow server cannot slow the clock and hide its
// latency. Subscribers follow `eventsAppended` from a given position, so each must receive
// every event from there on, whenever its subscription reached the server. Prints one JSON
// line.

export interface MixedLoadOptions {
  url: string;
  seconds: number;
  /** Reads a second, taken in turn from `reads`. */
  readRate: number;
  reads: { kind: string; query: string; variables?: Record<string, unknown> }[];
  /** Writes a second: `write` with `{ n }` merged into its input variable. */
  writeRate: number;
  write: { query: string; input: Record<string, unknown>; headers: Record<string, string> };
  subscribers: number;
  /** The log position every subscriber starts from. */
  from: number;
}

export interface Latencies {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface MixedLoadOutput {
  seconds: number;
  reads: Latencies;
  readsByKind: Record<string, Latencies>;
  writes: Latencies;
  /** The first error's text, if any, for the report. */
  firstError?: string;
  subscribers: {
    count: number;
    /** Events from `from` to the last write's position. */
    expected: number;
    /** Subscribers that received every one of them, each once, in order. */
    complete: number;
    /** Of all subscribers: events not received, and events received more than once. */
    missing: number;
    duplicates: number;
    errors: number;
    /** Time from a write's answer until the last subscriber received it, p99 over writes. */
    deliveryP99Ms: number;
  };
}

const options = JSON.parse(process.argv[2] ?? '{}') as MixedLoadOptions;
const target = new URL(`${options.url}/graphql`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function summary(latencies: number[], errors: number): Latencies {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    requests: sorted.length + errors,
    errors,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted.at(-1) ?? 0,
  };
}

let firstError: string | undefined;

/** One GraphQL request over HTTP: its latency, or an error (a status, or `errors` in the body). */
function request(
  body: string,
  headers: Record<string, string> = {},
): Promise<{ ms: number; data?: Record<string, unknown> } | { error: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const ms = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) {
            resolve({ error: `HTTP ${response.statusCode}: ${text.slice(0, 300)}` });
            return;
          }
          const answer = JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown };
          if (answer.errors) resolve({ error: JSON.stringify(answer.errors).slice(0, 300) });
          else resolve({ ms, data: answer.data });
        });
      },
    );
    req.on('error', (error) => resolve({ error: error.message }));
    req.end(body);
  });
}

/** Calls `send` `rate` times a second for `seconds`, on an open-loop clock. */
async function paced(rate: number, seconds: number, send: (n: number) => Promise<void>) {
  if (!(rate > 0)) return;
  const started = performance.now();
  const end = started + seconds * 1000;
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  for (let next = started; next < end; next += 1000 / rate) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const pending = send(n++).then(() => void inFlight.delete(pending));
    inFlight.add(pending);
  }
  await Promise.all(inFlight);
}

interface Subscriber {
  client: Client;
  positions: number[];
  errors: number;
}

const SUBSCRIPTION = `subscription ($from: Int) { eventsAppended(from: $from) { position type } }`;

/** Opens `count` graphql-ws connections, one subscription each; resolves once all are served. */
async function subscribe(count: number, from: number): Promise<Subscriber[]> {
  const wsUrl = `${options.url.replace(/^http/, 'ws')}/graphql`;
  const subscribers: Subscriber[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const subscriber: Subscriber = { client, positions: [], errors: 0 };
    subscribers.push(subscriber);
    client.subscribe<{ eventsAppended: { position: number } }>(
      { query: SUBSCRIPTION, variables: { from } },
      {
        next: (result) => {
          if (result.errors || !result.data) {
            subscriber.errors += 1;
            firstError ??= JSON.stringify(result.errors).slice(0, 300);
            return;
          }
          const { position } = result.data.eventsAppended;
          subscriber.positions.push(position);
          const received = arrivals.get(position) ?? [];
          received.push(performance.now());
          arrivals.set(position, received);
        },
        error: (error) => {
          subscriber.errors += 1;
          firstError ??= error instanceof Error ? error.message : JSON.stringify(error);
        },
        complete: () => undefined,
      },
    );
    // In place once the server has answered a query sent after it on the same socket.
    ready.push(
      new Promise<void>((resolve) => {
        client.subscribe(
          { query: '{ health { status } }' },
          { next: () => undefined, error: () => resolve(), complete: () => resolve() },
        );
      }),
    );
  }
  await Promise.all(ready);
  return subscribers;
}

/** When each written position was acknowledged, and when each subscriber received it. */
const acknowledged = new Map<number, number>();
const arrivals = new Map<number, number[]>();

async function main(): Promise<void> {
  const subscribers = await subscribe(options.subscribers, options.from);

  const readLatencies: number[] = [];
  const byKind = new Map<string, { latencies: number[]; errors: number }>();
  let readErrors = 0;
  const writeLatencies: number[] = [];
  let writeErrors = 0;
  let lastWritten = options.from - 1;
  const bodies = options.reads.map((read) =>
    JSON.stringify({ query: read.query, variables: read.variables }),
  );

  const started = performance.now();
  await Promise.all([
    paced(options.readRate, options.seconds, async (n) => {
      const which = n % bodies.length;
      const kind = options.reads[which].kind;
      const tally = byKind.get(kind) ?? { latencies: [], errors: 0 };
      byKind.set(kind, tally);
      const outcome = await request(bodies[which]);
      if ('error' in outcome) {
        readErrors += 1;
        tally.errors += 1;
        firstError ??= `${kind}: ${outcome.error}`;
      } else {
        readLatencies.push(outcome.ms);
        tally.latencies.push(outcome.ms);
      }
    }),
    paced(options.writeRate, options.seconds, async (n) => {
      const input = { ...options.write.input };
      for (const [key, value] of Object.entries(input)) {
        if (typeof value === 'string') input[key] = value.replaceAll('{n}', String(n));
      }
      const outcome = await request(
        JSON.stringify({ query: options.write.query, variables: { input } }),
        options.write.headers,
      );
      if ('error' in outcome) {
        writeErrors += 1;
        firstError ??= `write: ${outcome.error}`;
        return;
      }
      writeLatencies.push(outcome.ms);
      const answer = Object.values(outcome.data ?? {})[0] as { positions: number[] };
      for (const position of answer.positions) {
        acknowledged.set(position, performance.now());
        lastWritten = Math.max(lastWritten, position);
      }
    }),
  ]);
  const seconds = (performance.now() - started) / 1000;

  // Every subscriber must reach the last write; give them 10 s to drain.
  const deadline = performance.now() + 10_000;
  while (
    performance.now() < deadline &&
    subscribers.some((s) => (s.positions.at(-1) ?? options.from - 1) < lastWritten)
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const expected = lastWritten - options.from + 1;
  let complete = 0;
  let missing = 0;
  let duplicates = 0;
  for (const subscriber of subscribers) {
    const seen = subscriber.positions.filter((p) => p <= lastWritten);
    const distinct = new Set(seen);
    duplicates += seen.length - distinct.size;
    missing += expected - distinct.size;
    const inOrder = seen.every((p, i) => p === options.from + i);
    if (inOrder && seen.length === expected) complete += 1;
  }
  const delivery: number[] = [];
  for (const [position, at] of acknowledged) {
    const received = arrivals.get(position) ?? [];
    if (received.length === subscribers.length) delivery.push(Math.max(...received) - at);
  }
  for (const subscriber of subscribers) await subscriber.client.dispose();
  agent.destroy();

  const output: MixedLoadOutput = {
    seconds,
    reads: summary(readLatencies, readErrors),
    readsByKind: Object.fromEntries(
      [...byKind].map(([kind, tally]) => [kind, summary(tally.latencies, tally.errors)]),
    ),
    writes: summary(writeLatencies, writeErrors),
    firstError,
    subscribers: {
      count: subscribers.length,
      expected,
      complete,
      missing,
      duplicates,
      errors: subscribers.reduce((sum, s) => sum + s.errors, 0),
      deliveryP99Ms: summary(delivery, 0).p99Ms,
    },
  };
  console.log(JSON.stringify(output));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
