import http from 'node:http';
import { performance } from 'node:perf_hooks';

// A small load generator (autocannon is not installed), run as its own process so that it
// does not share a thread with the server it measures. `paced`: one request every 1/rate s
// whatever the answers do (open loop, so a slow server cannot slow the clock and hide its
// latency); `max`: `connections` requests in flight at all times. Prints one JSON line.

const options = JSON.parse(process.argv[2]) as {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  mode: 'paced' | 'max';
  rate: number;
  connections: number;
  seconds: number;
  /** More request headers (a bearer token). */
  headers?: Record<string, string>;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
const target = new URL(options.url);
const latencies: number[] = [];
let errors = 0;
/** Answers the API says came from its read cache (`x-cuenta-cache: hit`). */
let cacheHits = 0;

function request(): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: options.method,
        headers: {
          ...(options.body ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode === 200) latencies.push(performance.now() - started);
          else errors += 1;
          if (response.headers['x-cuenta-cache'] === 'hit') cacheHits += 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      errors += 1;
      resolve();
    });
    req.end(options.body);
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const inFlight = new Set<Promise<void>>();
  if (options.mode === 'paced') {
    const interval = 1000 / options.rate;
    for (let next = started; next < end; next += interval) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const pending = request().then(() => void inFlight.delete(pending));
      inFlight.add(pending);
    }
  } else {
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < end) await request();
      }),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  console.log(
    JSON.stringify({
      requests: sorted.length,
      errors,
      cacheHits,
      seconds,
      perSecond: sorted.length / seconds,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: sorted[sorted.length - 1] ?? 0,
    }),
  );
  agent.destroy();
}

void main();
