import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { CONTEXTS } from '#contexts';
import { PostgresEventStore } from '#event-store';
import { OpenDataPackages, PACKAGE_RESOURCES, streamWriter, writePackage } from '#open-data';
import { contextReadModels, contextReadSchema, openReadDatabase } from '#platform';
import { PostgresLedger } from '#transparency';

// One measure of the open-data bench, in a process of its own so that its peak resident
// memory is its own: `package <url> <dir>` writes the data package as `cuenta open-data`
// does; `baseline <url>` streams the same rows (every resource's statement, in one
// REPEATABLE READ snapshot, through a cursor) to /dev/null as plain text, with nothing
// shaped, typed or checked. Prints one line of JSON. The log key and origin come in CUENTA_BENCH_LOG_KEY and CUENTA_BENCH_LOG_ORIGIN.

const SAMPLE_MS = 250;

async function main(): Promise<void> {
  const [mode, url, dir] = process.argv.slice(2);
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(process.memoryUsage.rss()), SAMPLE_MS);
  const started = performance.now();
  let rows = 0;
  const perResource: Record<string, number> = {};
  if (mode === 'package') rows = await writeFullPackage(url, dir);
  else if (mode === 'baseline') rows = await streamBaseline(url, perResource);
  else throw new Error(`unknown mode ${mode}`);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  samples.push(process.memoryUsage.rss());
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      rows,
      // KiB, as getrusage reports it.
      peakRss: process.resourceUsage().maxRSS * 1024,
      samples,
      perResource,
    })}\n`,
  );
}

async function writeFullPackage(url: string, dir: string): Promise<number> {
  const signerKey = process.env.CUENTA_BENCH_LOG_KEY ?? '';
  const origin = process.env.CUENTA_BENCH_LOG_ORIGIN ?? '';
  const store = await PostgresEventStore.open({ connectionString: url, migrate: false });
  const dataSource = await openReadDatabase({
    connectionString: url,
    ...contextReadSchema(CONTEXTS),
    migrate: false,
  });
  try {
    const packages = new OpenDataPackages({
      dataSource,
      store,
      ledger: new PostgresLedger(store.pool, { origin, signerKey }),
      projections: contextReadModels(CONTEXTS).flatMap((m) => m.projections({ store, dataSource })),
      waitMs: 0,
    });
    const written = await writePackage(packages, dir);
    return written.rows.reduce((sum, r) => sum + r.rows, 0);
  } finally {
    await dataSource.destroy();
    await store.close();
  }
}

/** `seconds`: filled with each resource's time, to see where the time goes. */
async function streamBaseline(url: string, seconds: Record<string, number>): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sink = createWriteStream('/dev/null');
  const write = streamWriter(sink);
  let rows = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: head } = await client.query<{ size: string }>('SELECT size FROM events.log_head');
    for (const resource of PACKAGE_RESOURCES) {
      const started = performance.now();
      const params = /\$1\b/.test(resource.sql) ? [head[0].size] : [];
      await client.query(`DECLARE baseline NO SCROLL CURSOR FOR ${resource.sql}`, params);
      for (;;) {
        const batch = await client.query<Record<string, unknown>>(
          'FETCH FORWARD 2000 FROM baseline',
        );
        if (batch.rows.length === 0) break;
        rows += batch.rows.length;
        await write(batch.rows.map((row) => `${Object.values(row).join(',')}\n`).join(''));
      }
      await client.query('CLOSE baseline');
      seconds[resource.name] = (performance.now() - started) / 1000;
    }
    await client.query('COMMIT');
  } finally {
    sink.end();
    await finished(sink);
    await client.end();
  }
  return rows;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
