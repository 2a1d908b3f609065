import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresEventStore, type NewEvent } from '#event-store';
import { PostgresLedger } from '#transparency';
import { generateSignerKey, witnessVerifierKeyFor } from '#ledger';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runNode } from '../support/server.js';

// A log of real events in a fresh database, its key in a temporary folder, and the built
// `cuenta` command line run as a process against it, as an operator or a verifier runs it.

export const ORIGIN = 'cuenta.example/cartagena';
export const CLI = 'dist/apps/cli/src/main.js';

const actor = { subject: 'planeacion-ana', role: 'steward', agency: 'secretaria-de-planeacion' };

/** A progress report of about 300 bytes, distinct per `n`. */
export function progressEvent(
  n: number,
  note = 'Avance reportado en la mesa territorial',
): NewEvent {
  return {
    type: 'MilestoneProgressReported',
    data: { milestoneId: `m-${n % 7}`, progress: n % 101, note: `${note} ${n}` },
    metadata: { actor, occurredAt: '2023-06-01T12:00:00.000Z' },
  };
}

export interface TestLog {
  database: TestDatabase;
  dir: string;
  keyFile: string;
  logKey: string;
  witnessKey: string;
  store: PostgresEventStore;
  ledger: PostgresLedger;
  /** The environment under which the CLI reaches this log. */
  env: Record<string, string>;
  /** Runs `cuenta <args>` against this log. */
  cli(args: string[], env?: Record<string, string | undefined>): ReturnType<typeof runNode>;
  /** Runs SQL on the log's database as the superuser, outside the event store. */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** Reads a file of the temporary folder. */
  read(file: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A fresh log (streams named progress-*, which no projection of the server reads): `appends` appends of `perAppend` events, a checkpoint signed after every
 * `checkpointEvery` appends (so a tampered event is pinned to a short range).
 */
export async function createTestLog(
  options: { appends?: number; perAppend?: number; checkpointEvery?: number } = {},
): Promise<TestLog> {
  const database = await createTestDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-cli-'));
  const keyFile = path.join(dir, 'log.key');
  const logKey = generateSignerKey(ORIGIN);
  await writeFile(keyFile, `${logKey}\n`, { mode: 0o600 });
  await chmod(keyFile, 0o600);
  const witnessKey = generateSignerKey('contraloria.example/witness');
  const store = await PostgresEventStore.open({ connectionString: database.url });
  const ledger = new PostgresLedger(store.pool, {
    origin: ORIGIN,
    signerKey: logKey,
    witnessKeys: [witnessVerifierKeyFor(witnessKey)],
  });
  const env = {
    DATABASE_URL: database.url,
    CUENTA_DATA_DIR: path.join(dir, 'data'),
    CUENTA_LOG_KEY_FILE: keyFile,
    CUENTA_LOG_ORIGIN: ORIGIN,
    CUENTA_WITNESS_KEYS: witnessVerifierKeyFor(witnessKey),
  };
  let n = 0;
  for (let a = 0; a < (options.appends ?? 0); a++) {
    const events = Array.from({ length: options.perAppend ?? 1 }, () => progressEvent(n++));
    await store.append(`progress-${a % 3}`, events, 'any');
    if ((a + 1) % (options.checkpointEvery ?? Infinity) === 0) await ledger.signCheckpoint();
  }
  const sql = async (text: string, params?: unknown[]) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return await client.query(text, params);
    } finally {
      await client.end();
    }
  };
  return {
    database,
    dir,
    keyFile,
    logKey,
    witnessKey,
    store,
    ledger,
    env,
    cli: (args, extra = {}) => runNode(CLI, args, { ...env, ...extra }),
    sql,
    read: (file) => readFile(path.join(dir, file), 'utf8'),
    close: async () => {
      await store.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `statements` on events.events (and the checkpoint tables) with their append-only
 * triggers disabled, as a superuser who wants to rewrite history would.
 */
export async function tamper(log: TestLog, statements: string[]): Promise<void> {
  const tables = ['events.events', 'events.checkpoints', 'events.cosignatures'];
  await log.sql(
    [
      'BEGIN',
      ...tables.map((t) => `ALTER TABLE ${t} DISABLE TRIGGER USER`),
      ...statements,
      ...tables.map((t) => `ALTER TABLE ${t} ENABLE TRIGGER USER`),
      'COMMIT',
    ].join(';\n'),
  );
}

/** The lines of a JSON Lines file, without the final empty one. */
export function jsonLines(text: string): string[] {
  return text.split('\n').slice(0, -1);
}
