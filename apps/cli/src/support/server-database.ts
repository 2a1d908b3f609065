import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PostgresEventStore } from '#event-store';
import { openDatabase, type Config, type DatabaseHandle } from '#platform';
import { CommandFailure } from './cli.js';

/**
 * The server's database, found as the server finds it: DATABASE_URL, else the embedded
 * PostgreSQL in CUENTA_DATA_DIR, started for the command when the server is not running.
 * Unlike the server it never creates one: a data folder that holds no cluster (a wrong
 * CUENTA_DATA_DIR, most likely) is refused before anything is written.
 * @throws CommandFailure when DATABASE_URL is unset and the data folder holds no database
 */
export async function openServerDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPostgresPort'>,
): Promise<DatabaseHandle> {
  const cluster = path.join(config.dataDir, 'postgres');
  if (!config.databaseUrl && !existsSync(path.join(cluster, 'PG_VERSION'))) {
    throw new CommandFailure(
      `no log here: DATABASE_URL is unset and ${cluster} holds no database; ` +
        'set DATABASE_URL or CUENTA_DATA_DIR as for the server',
    );
  }
  return openDatabase(config);
}

/**
 * Refuses a database the server never ran on: the command line does not migrate the log, so
 * it would otherwise meet missing tables, or create them where they do not belong.
 * @throws CommandFailure when the database holds no Cuenta log
 */
export async function assertLogSchema(
  store: PostgresEventStore,
  description: string,
): Promise<void> {
  const { rows } = await store.pool.query<{ table: string | null }>(
    `SELECT to_regclass('events.checkpoints')::text AS table`,
  );
  if (rows[0].table === null) {
    throw new CommandFailure(
      `${description} holds no Cuenta log (no events.checkpoints table): start the server on it once`,
    );
  }
}

/**
 * Runs every step, the last one added first, each even when an earlier one failed, and empties
 * `steps` (a second call does nothing). Rejects with the first failure once all have run.
 */
export async function closeAll(steps: (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
