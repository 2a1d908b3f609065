import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import { generateSignerKey, openCheckpoint, verifierKeyFor, witnessVerifierKeyFor } from '#ledger';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { localTokens } from '../support/access.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';
import { CLI, progressEvent } from './cli-harness.js';

// Two Cuenta servers (the built API, each on its own database) witness each other through
// c2sp.org/tlog-witness: each city's oversight body runs `cuenta witness serve` for the
// other city's log, and each log's administrator adds the other's witness at run time.

interface City {
  name: string;
  origin: string;
  dir: string;
  logKey: string;
  witnessKey: string;
  witnessKeyFile: string;
  database: TestDatabase;
  server: ServerProcess;
  admin: string;
  witness?: ChildProcessWithoutNullStreams;
  witnessUrl?: string;
  witnessOutput: string;
}

const cities: City[] = [];

async function startCity(name: string): Promise<City> {
  const origin = `cuenta.${name}.example/log`;
  const dir = await mkdtemp(path.join(os.tmpdir(), `cuenta-witness-${name}-`));
  const logKey = generateSignerKey(origin);
  const witnessKey = generateSignerKey(`contraloria.${name}.example`);
  await writeFile(path.join(dir, 'log.key'), `${logKey}\n`, { mode: 0o600 });
  const witnessKeyFile = path.join(dir, 'witness.key');
  await writeFile(witnessKeyFile, `${witnessKey}\n`, { mode: 0o600 });
  const database = await createTestDatabase();
  const dataDir = path.join(dir, 'data');
  const server = await startServer({
    DATABASE_URL: database.url,
    CUENTA_DATA_DIR: dataDir,
    CUENTA_LOG_KEY_FILE: path.join(dir, 'log.key'),
    CUENTA_LOG_ORIGIN: origin,
    CUENTA_CHECKPOINT_EVERY_EVENTS: '1',
    CUENTA_CHECKPOINT_INTERVAL_SECONDS: '1',
  });
  const admin = await (await localTokens(dataDir)).mint({ role: 'administrator' });
  const city: City = {
    name,
    origin,
    dir,
    logKey,
    witnessKey,
    witnessKeyFile,
    database,
    server,
    admin,
    witnessOutput: '',
  };
  cities.push(city);
  return city;
}

/** Starts `cuenta witness serve` as `city`'s oversight body, for `log`. */
async function serveWitness(city: City, log: City): Promise<void> {
  const child = spawn(process.execPath, [
    CLI,
    'witness',
    'serve',
    '--key',
    city.witnessKeyFile,
    '--state-dir',
    path.join(city.dir, 'witness-state'),
    '--listen',
    '127.0.0.1:0',
    '--log',
    `${log.origin}=${verifierKeyFor(log.logKey)}`,
  ]);
  city.witness = child;
  child.stderr.on('data', (chunk) => (city.witnessOutput += chunk));
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const deadline = Date.now() + 20_000;
  while (!/listening on (http:\/\/\S+) /.test(stdout)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`cuenta witness serve did not start:\n${stdout}${city.witnessOutput}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  city.witnessUrl = /listening on (http:\/\/\S+) /.exec(stdout)?.[1];
}

async function appendEvents(city: City, count: number): Promise<void> {
  const store = await PostgresEventStore.open({ connectionString: city.database.url });
  try {
    await store.append(
      `progress-${city.name}`,
      Array.from({ length: count }, (_, i) => progressEvent(i)),
      'any',
    );
  } finally {
    await store.close();
  }
}

/** The log's latest checkpoint once it carries a cosignature by `witness`. */
async function cosignedBy(log: City, witness: City, atLeast: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${log.server.url}/log/checkpoint`);
    const note = await response.text();
    const size = Number(note.split('\n')[1]);
    if (size >= atLeast && note.includes(`\u2014 contraloria.${witness.name}.example `)) {
      return note;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no cosignature by ${witness.name} on ${log.name}'s checkpoint:\n${note}\n` +
          `${log.server.output()}\n${witness.witnessOutput}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let north: City;
let south: City;

beforeAll(async () => {
  north = await startCity('north');
  south = await startCity('south');
  await serveWitness(north, south);
  await serveWitness(south, north);
}, 120_000);

afterAll(async () => {
  for (const city of cities) {
    if (city.witness && city.witness.exitCode === null) {
      city.witness.kill('SIGTERM');
      await once(city.witness, 'exit');
    }
    await city.server.stop();
    await city.database.drop();
    await rm(city.dir, { recursive: true, force: true });
  }
});

describe('two Cuenta servers witnessing each other over tlog-witness', () => {
  it('an administrator adds the other city’s witness; each log then carries its cosignature', async () => {
    const add = (log: City, witness: City) =>
      graphql(
        log.server.url,
        'mutation ($url: String!, $key: String!) { addLogWitness(url: $url, verifierKey: $key) { name url } }',
        { url: witness.witnessUrl, key: witnessVerifierKeyFor(witness.witnessKey) },
        { authorization: `Bearer ${log.admin}` },
      );
    const added = await add(north, south);
    expect(added.body).toEqual({
      data: { addLogWitness: { name: 'contraloria.south.example', url: south.witnessUrl } },
    });
    expect((await add(south, north)).body.errors).toBeUndefined();
    // Adding the same witness again is refused, naming the field.
    const again = await add(north, south);
    expect(again.body.errors?.[0]).toMatchObject({
      extensions: { code: 'INVALID_INPUT', field: 'verifierKey' },
    });

    await appendEvents(north, 5);
    await appendEvents(south, 3);
    const northNote = await cosignedBy(north, south, 6);
    const southNote = await cosignedBy(south, north, 4);
    for (const [note, log, witness] of [
      [northNote, north, south],
      [southNote, south, north],
    ] as const) {
      const opened = openCheckpoint({
        note,
        origin: log.origin,
        logKey: verifierKeyFor(log.logKey),
        witnessKeys: [witnessVerifierKeyFor(witness.witnessKey)],
      });
      expect(opened.cosignatures.map((c) => c.name)).toEqual([
        `contraloria.${witness.name}.example`,
      ]);
    }

    // The log grows: the next checkpoint is pushed with a consistency proof and cosigned too.
    await appendEvents(north, 4);
    await cosignedBy(north, south, 10);
    const { body } = await graphql(
      north.server.url,
      '{ ledgerInfo { witnessKeys } logWitnesses { name } latestCheckpoint { size cosignatures { witness } } }',
    );
    expect(body.data).toEqual({
      ledgerInfo: { witnessKeys: [witnessVerifierKeyFor(south.witnessKey)] },
      logWitnesses: [{ name: 'contraloria.south.example' }],
      latestCheckpoint: { size: 10, cosignatures: [{ witness: 'contraloria.south.example' }] },
    });
    // The witness keeps one state file per log it witnesses.
    expect(await readdir(path.join(south.dir, 'witness-state'))).toHaveLength(1);
  }, 90_000);

  it('refuses bad invocations of cuenta witness serve with exit code 2', async () => {
    const noLog = await runNode(
      CLI,
      [
        'witness',
        'serve',
        '--key',
        north.witnessKeyFile,
        '--state-dir',
        north.dir,
        '--listen',
        '127.0.0.1:0',
      ],
      {},
    );
    expect(noLog.code).toBe(2);
    expect(noLog.stderr).toContain('name at least one log to witness with --log');
    const wrongName = await runNode(
      CLI,
      [
        'witness',
        'serve',
        '--key',
        north.witnessKeyFile,
        '--state-dir',
        north.dir,
        '--listen',
        '127.0.0.1:0',
        '--log',
        `other.example/log=${verifierKeyFor(south.logKey)}`,
      ],
      {},
    );
    expect(wrongName.code).toBe(2);
    expect(wrongName.stderr).toContain('not after the origin');
    const badListen = await runNode(
      CLI,
      [
        'witness',
        'serve',
        '--key',
        north.witnessKeyFile,
        '--state-dir',
        north.dir,
        '--listen',
        'nowhere',
        '--log',
        `${south.origin}=${verifierKeyFor(south.logKey)}`,
      ],
      {},
    );
    expect(badListen.code).toBe(2);
    expect(badListen.stderr).toContain('--listen must be <host>:<port>');
  });
});
