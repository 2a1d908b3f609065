import { performance } from 'node:perf_hooks';
import { commitmentsReadModel } from '#commitments';
import { PostgresEventStore } from '#event-store';
import {
  loadConfig,
  openDatabase,
  openReadDatabase,
  ProjectionRunner,
  type ReadModel,
} from '#platform';
import { count, parseFlags, runCommand, UsageError } from '../support/cli.js';
import { readConfig } from '../support/open-log.js';

/** Every context's read models, as the API serves them (apps/api/src/app.module.ts). */
const READ_MODELS: ReadModel[] = [commitmentsReadModel];

const USAGE =
  'usage: cuenta replay [projection]\n' +
  "  Rebuilds read models from the log: empties the projection's tables, sets its\n" +
  '  checkpoint back to 0 and applies every event again (every projection when none is\n' +
  '  named). When a server is running on the same database, its projection runner does the\n' +
  '  replaying and this command only resets.\n' +
  '  Uses DATABASE_URL, or the embedded PostgreSQL in CUENTA_DATA_DIR, as the server does.\n';

/** `cuenta replay [projection]`. Exit codes: 0 done, 2 bad arguments, 1 anything else. */
export function replayCommand(argv: string[]): Promise<number> {
  return runCommand('replay', USAGE, argv, async () => {
    const { positionals } = parseFlags(argv, {});
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const config = readConfig(loadConfig);
    const database = await openDatabase(config);
    const store = await PostgresEventStore.open({ connectionString: database.url, poolSize: 4 });
    try {
      const dataSource = await openReadDatabase({
        connectionString: database.url,
        poolSize: 4,
        entities: READ_MODELS.flatMap((m) => m.entities),
        migrations: READ_MODELS.flatMap((m) => m.migrations),
      });
      try {
        const runner = new ProjectionRunner(
          store,
          dataSource,
          READ_MODELS.flatMap((m) => m.projections({ store, dataSource })),
          { connectionString: database.url, batchSize: 10_000 },
        );
        const known = runner.projections.map((p) => p.name);
        const names = positionals.length === 0 ? known : positionals;
        for (const name of names) {
          if (!known.includes(name)) {
            throw new UsageError(`no projection named "${name}" (known: ${known.join(', ')})`);
          }
        }
        for (const name of names) await runner.reset(name);
        const started = performance.now();
        const applied = await runner.catchUpOnce(names);
        if (applied === undefined) {
          process.stdout.write(
            `reset ${names.join(', ')}; the active projection runner (a running server on ` +
              `${database.description}) is replaying ${names.length === 1 ? 'it' : 'them'} from the log\n`,
          );
          return;
        }
        const seconds = (performance.now() - started) / 1000;
        for (const [name, events] of Object.entries(applied)) {
          process.stdout.write(
            `replayed ${name}: ${count(events)} events in ${seconds.toFixed(2)} s ` +
              `(${count(Math.round(events / Math.max(seconds, 1e-6)))} events/s)\n`,
          );
        }
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await store.close();
      await database.stop();
    }
  });
}
