import { existsSync } from 'node:fs';
import path from 'node:path';
import { PostgresEventStore, PostgresLedger } from '#event-store';
import { LedgerError, openCheckpoint } from '#ledger';
import {
  ConfigError,
  loadConfig,
  loadLedgerConfig,
  loadOrCreateLogKey,
  LogKeyError,
  openDatabase,
} from '#platform';
import { CommandFailure, messageOf, UsageError } from './cli.js';

export interface OpenLog {
  store: PostgresEventStore;
  ledger: PostgresLedger;
  /** Where the log lives, for people. */
  description: string;
  close(): Promise<void>;
}

/**
 * The server's log, reached as the server reaches it: DATABASE_URL, else the embedded
 * PostgreSQL in CUENTA_DATA_DIR (started for the command when the server is not running), and
 * the log key from CUENTA_LOG_KEY_FILE or `<CUENTA_DATA_DIR>/keys/log.key`.
 *
 * Unlike the server, it never creates a log key: a key made here would sign checkpoints no one
 * can check against the log's published key. It also refuses a key that did not sign the
 * log's latest checkpoint, for the same reason.
 */
export async function openLog(): Promise<OpenLog> {
  const config = readConfig(loadConfig);
  const { keyFile, origin, witnessKeys } = readConfig(() =>
    loadLedgerConfig(process.env, config.dataDir),
  );
  if (!existsSync(keyFile)) {
    throw new CommandFailure(
      `the log key file ${keyFile} does not exist: set CUENTA_LOG_KEY_FILE (or CUENTA_DATA_DIR) ` +
        "as for the server, so this command signs with the log's own key",
    );
  }
  let signerKey: string;
  try {
    ({ signerKey } = await loadOrCreateLogKey({ file: keyFile, origin }));
  } catch (error) {
    if (error instanceof LogKeyError) throw new CommandFailure(error.message);
    throw error;
  }
  // Without DATABASE_URL the log is the embedded PostgreSQL in the data folder: start it if
  // the server is not running, but never create one where there is none.
  const cluster = path.join(config.dataDir, 'postgres');
  if (!config.databaseUrl && !existsSync(path.join(cluster, 'PG_VERSION'))) {
    throw new CommandFailure(
      `no log here: DATABASE_URL is unset and ${cluster} holds no database; ` +
        'set DATABASE_URL or CUENTA_DATA_DIR as for the server',
    );
  }
  const database = await openDatabase(config);
  let store: PostgresEventStore | undefined;
  try {
    store = await PostgresEventStore.open({
      connectionString: database.url,
      migrate: false,
      poolSize: 4,
    });
    const ledger = new PostgresLedger(store.pool, { origin, signerKey, witnessKeys });
    await assertLogSchema(store, database.description);
    await assertSignedByKey(ledger, keyFile);
    const opened = store;
    return {
      store: opened,
      ledger,
      description: database.description,
      close: async () => {
        await opened.close();
        await database.stop();
      },
    };
  } catch (error) {
    await store?.close().catch(() => undefined);
    await database.stop().catch(() => undefined);
    if (error instanceof CommandFailure) throw error;
    throw new CommandFailure(`cannot use the log in ${database.description}: ${messageOf(error)}`);
  }
}

/** Configuration read as the server reads it; an invalid one is a usage error (exit 2). */
export function readConfig<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new UsageError(`invalid configuration: ${error.message}`);
    }
    throw error;
  }
}

async function assertLogSchema(store: PostgresEventStore, description: string): Promise<void> {
  const { rows } = await store.pool.query<{ table: string | null }>(
    `SELECT to_regclass('events.checkpoints')::text AS table`,
  );
  if (rows[0].table === null) {
    throw new CommandFailure(
      `${description} holds no Cuenta log (no events.checkpoints table): start the server on it once`,
    );
  }
}

async function assertSignedByKey(ledger: PostgresLedger, keyFile: string): Promise<void> {
  const latest = await ledger.latestCheckpoint();
  if (!latest) return;
  try {
    openCheckpoint({ note: latest.note, origin: ledger.origin, logKey: ledger.verifierKey });
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    throw new CommandFailure(
      `the key in ${keyFile} (${ledger.verifierKey}) did not sign this log's latest checkpoint ` +
        `(size ${latest.size}): ${error.message}; use the server's key (CUENTA_LOG_KEY_FILE)`,
    );
  }
}
