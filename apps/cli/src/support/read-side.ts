import type { DataSource } from 'typeorm';
import { CONTEXTS } from '#contexts';
import type { PostgresEventStore } from '#event-store';
import {
  contextReadModels,
  contextReadSchema,
  loadConfig,
  openReadDatabase,
  ProjectionRunner,
  unappliedPlatformReadMigrations,
} from '#platform';
import { CommandFailure, counted, messageOf } from './cli.js';
import { readConfig } from './open-log.js';
import { openEventStore } from './open-store.js';
import { assertLogSchema, closeAll, openServerDatabase } from './server-database.js';

export interface ReadSide {
  /** Runs nothing by itself: commands call it (catch up, reset, park, status). */
  runner: ProjectionRunner;
  /** The log and the read models' database the runner works on. */
  store: PostgresEventStore;
  /** The read models' database, for commands that read them (audit-report). */
  dataSource: DataSource;
  /** Where the database is, for people. */
  description: string;
  /** Releases everything it opened, each part even when another fails. */
  close(): Promise<void>;
}

export interface ReadSideOptions {
  /**
   * Apply the read models' pending migrations (for a rebuild: a new version's projections
   * need their tables). Otherwise nothing of the schema is written, and a database whose
   * checkpoint and parked-event tables are not there is refused. The log is never migrated:
   * that is the server's job.
   */
  migrate: boolean;
  batchSize?: number;
}

/**
 * The log and the read models, reached as the server reaches them (DATABASE_URL, else the
 * embedded PostgreSQL in CUENTA_DATA_DIR, never created here), with a projection runner over
 * every projection the server runs.
 * @throws CommandFailure when there is no database or no Cuenta log there, or (without
 *   `migrate`) the read models are not migrated; nothing is written then
 */
export async function openReadSide(options: ReadSideOptions): Promise<ReadSide> {
  const config = readConfig(loadConfig);
  const database = await openServerDatabase(config);
  const opened: (() => Promise<void>)[] = [() => database.stop()];
  const close = () => closeAll(opened);
  try {
    const store = await openEventStore(database.url, { migrate: false });
    opened.push(() => store.close());
    await assertLogSchema(store, database.description);
    const dataSource = await openReadDatabase({
      connectionString: database.url,
      poolSize: 4,
      ...contextReadSchema(CONTEXTS),
      migrate: options.migrate,
    });
    opened.push(() => dataSource.destroy());
    if (!options.migrate) {
      const missing = await unappliedPlatformReadMigrations(dataSource);
      if (missing.length > 0) {
        throw new CommandFailure(
          `the read models in ${database.description} are not migrated to this version ` +
            `(${counted(missing.length, 'migration')} pending: ${missing.join(', ')}): ` +
            'start the server on it once',
        );
      }
    }
    const runner = new ProjectionRunner(
      store,
      dataSource,
      // Every context's projections (#contexts), as the API runs them.
      contextReadModels(CONTEXTS).flatMap((m) => m.projections({ store, dataSource })),
      { connectionString: database.url, batchSize: options.batchSize },
    );
    return { runner, store, dataSource, description: database.description, close };
  } catch (error) {
    await close().catch(() => undefined);
    if (error instanceof CommandFailure) throw error;
    throw new CommandFailure(
      `cannot use the read models in ${database.description}: ${messageOf(error)}`,
    );
  }
}
