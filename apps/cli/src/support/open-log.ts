import { existsSync } from 'node:fs';
import { PostgresEventStore } from '#event-store';
import { PostgresLedger, WitnessRoster } from '#transparency';
import { LedgerError, openCheckpoint } from '#ledger';
import {
  ConfigError,
  loadConfig,
  loadLedgerConfig,
  loadOrCreateLogKey,
  LogKeyError,
} from '#platform';
import { CommandFailure, messageOf, UsageError } from './cli.js';
import { openEventStore } from './open-store.js';
import { assertLogSchema, closeAll, openServerDatabase } from './server-database.js';

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
  const database = await openServerDatabase(config);
  const opened: (() => Promise<void>)[] = [() => database.stop()];
  const close = () => closeAll(opened);
  try {
    const store = await openEventStore(database.url, { migrate: false });
    opened.push(() => store.close());
    const roster = new WitnessRoster(store);
    const ledger = new PostgresLedger(store.pool, {
      origin,
      signerKey,
      witnessKeys,
      rosterKeys: () => roster.keys(),
    });
    await assertLogSchema(store, database.description);
    await assertSignedByKey(ledger, keyFile);
    return { store, ledger, description: database.description, close };
  } catch (error) {
    await close().catch(() => undefined);
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
