import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import { generateSignerKey, verifierKeyFor } from '#ledger';
import { startEmbeddedPostgres } from '#platform';
import { runNode, startServer, type ServerProcess } from '../support/server.js';
import { CLI, ORIGIN, progressEvent } from './cli-harness.js';

// Without DATABASE_URL the CLI reaches the server's embedded PostgreSQL in CUENTA_DATA_DIR,
// and the log key in <CUENTA_DATA_DIR>/keys/log.key, as the server does: sharing the running
// server's database, or starting (and then stopping) it when the server is down. The server
// may put events of its own in a new database, so the tests look for the five they append.

const appended = [0, 1, 2, 3, 4].map((n) => progressEvent(n));

/** Whether every event this file appended is a line of the bundle's events.jsonl. */
async function holdsAppended(bundle: string): Promise<boolean> {
  const lines = (await readFile(path.join(bundle, 'events.jsonl'), 'utf8')).split('\n');
  return appended.every((event) =>
    lines.some((line) => line.includes(`"note":"${String(event.data.note)}"`)),
  );
}

describe('the CLI on the embedded PostgreSQL of CUENTA_DATA_DIR', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  const cli = (args: string[]) =>
    runNode(CLI, args, { DATABASE_URL: undefined, CUENTA_DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-cli-embedded-'));
    server = await startServer({
      CUENTA_DATA_DIR: dataDir,
      CUENTA_CHECKPOINT_INTERVAL_SECONDS: '86400',
    });
    const running = await startEmbeddedPostgres({ dataDir });
    const url = new URL(running.url);
    url.pathname = '/postgres';
    const store = await PostgresEventStore.open({ connectionString: url.toString() });
    try {
      await store.append('progress-embedded', appended, 'any');
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exports from the database the server is running, signed with the key the server made', async () => {
    const bundle = path.join(dataDir, 'bundle-running');
    const exported = await cli(['export', bundle]);
    const logKey = (await readFile(path.join(dataDir, 'keys', 'log.key'), 'utf8')).trim();
    const verified = await cli(['verify', bundle, '--key', verifierKeyFor(logKey)]);
    const events = /^exported (\d+) events, 1 checkpoint and 0 cosignatures of /.exec(
      exported.stdout,
    );
    expect(exported.code).toBe(0);
    expect(await holdsAppended(bundle)).toBe(true);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`${events?.[1]} events and 1 checkpoint of ${ORIGIN}`);
  });

  it('starts the database itself when the server is down, and stops it afterwards', async () => {
    expect(await server?.stop()).toBe(0);
    server = undefined;
    const bundle = path.join(dataDir, 'bundle-stopped');
    const { code, stdout } = await cli(['export', bundle]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^exported \d+ events, 1 checkpoint and 0 cosignatures of /);
    expect(await holdsAppended(bundle)).toBe(true);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('never creates a database where there is none', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'cuenta-cli-empty-'));
    try {
      const keyFile = path.join(empty, 'log.key');
      await writeFile(keyFile, `${generateSignerKey(ORIGIN)}\n`, { mode: 0o600 });
      const { code, stderr } = await runNode(CLI, ['proof', '--position', '0'], {
        DATABASE_URL: undefined,
        CUENTA_DATA_DIR: empty,
        CUENTA_LOG_KEY_FILE: keyFile,
      });
      expect(code).toBe(1);
      expect(stderr).toBe(
        `cuenta proof: no log here: DATABASE_URL is unset and ${empty}/postgres holds no database; ` +
          'set DATABASE_URL or CUENTA_DATA_DIR as for the server\n',
      );
      expect(existsSync(path.join(empty, 'postgres'))).toBe(false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
