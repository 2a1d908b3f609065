import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import { PostgresLedger, type StoredCheckpoint } from '#transparency';
import {
  decodeEntryBundle,
  encodeEntryBundle,
  toBase64,
  verifierKeyFor,
  witnessVerifierKeyFor,
} from '#ledger';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server.js';
import { createTestLog, ORIGIN, progressEvent, type TestLog } from './cli-harness.js';

const serverEnv = (log: { url: string; keyFile: string; dir: string }) => ({
  DATABASE_URL: log.url,
  CUENTA_DATA_DIR: path.join(log.dir, 'data'),
  CUENTA_LOG_KEY_FILE: log.keyFile,
  CUENTA_LOG_ORIGIN: ORIGIN,
  CUENTA_CHECKPOINT_INTERVAL_SECONDS: '86400',
  CUENTA_CHECKPOINT_EVERY_EVENTS: '1000000',
});

describe('cuenta mirror', () => {
  let log: TestLog;
  let server: ServerProcess;
  let key: string;
  let mirror: string;
  let latest: StoredCheckpoint;

  const runMirror = (url: string, dir = mirror) =>
    log.cli(['mirror', '--server', url, '--dir', dir, '--key', key]);

  beforeAll(async () => {
    // 600 events, checkpoints at 300 and 600: tiles 0 and 1 full, tile 2 partial (88).
    log = await createTestLog({ appends: 6, perAppend: 100, checkpointEvery: 3 });
    latest = (await log.ledger.latestCheckpoint()) as StoredCheckpoint;
    key = verifierKeyFor(log.logKey);
    mirror = path.join(log.dir, 'mirror');
    server = await startServer(serverEnv({ url: log.database.url, ...log }));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await log?.close();
  });

  it('builds a first mirror that cuenta verify accepts, the same bundle cuenta export writes', async () => {
    const first = await runMirror(server.url);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `mirrored ${ORIGIN} into ${mirror}: size 600, root ${toBase64(latest.rootHash)}; 600 new events, 6 tiles fetched`,
    );

    const verified = await log.cli(['verify', mirror, '--key', key]);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('600 events and 1 checkpoint');

    const exported = path.join(log.dir, 'export');
    expect((await log.cli(['export', exported])).code).toBe(0);
    for (const file of ['events.jsonl', 'leaves.bin']) {
      expect(await readFile(path.join(mirror, file))).toEqual(
        await readFile(path.join(exported, file)),
      );
    }
  });

  it('fetches nothing but the checkpoint when the log has not grown', async () => {
    const again = await runMirror(server.url);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('size 600');
    expect(again.stdout).toContain('nothing new, 0 tiles fetched');
  });

  it('fetches only the tiles past what it holds when the log grows, and still verifies', async () => {
    await log.store.append(
      'progress-0',
      Array.from({ length: 100 }, (_, i) => progressEvent(600 + i)),
      'any',
    );
    latest = (await log.ledger.signCheckpoint()) as StoredCheckpoint;
    expect(latest.size).toBe(700);
    const grown = await runMirror(server.url);
    expect(grown.stderr).toBe('');
    expect(grown.code).toBe(0);
    // Only the rightmost tile and its bundle (512..700): tiles 0 and 1 are full and held.
    expect(grown.stdout).toContain(
      `size 700, root ${toBase64(latest.rootHash)}; 100 new events, 2 tiles fetched`,
    );
    const verified = await log.cli(['verify', mirror, '--key', key]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('700 events and 2 checkpoints');
  });

  describe('a log that forks', () => {
    let database: TestDatabase;
    let store: PostgresEventStore;
    let fork: ServerProcess;
    let forked: StoredCheckpoint;

    beforeAll(async () => {
      // Another database, the same key and origin: 800 events of another history.
      database = await createTestDatabase();
      store = await PostgresEventStore.open({ connectionString: database.url });
      const ledger = new PostgresLedger(store.pool, {
        origin: ORIGIN,
        signerKey: log.logKey,
        witnessKeys: [witnessVerifierKeyFor(log.witnessKey)],
      });
      for (let a = 0; a < 8; a++) {
        await store.append(
          `progress-${a % 3}`,
          Array.from({ length: 100 }, (_, i) => progressEvent(a * 100 + i, 'Otra historia')),
          'any',
        );
      }
      forked = (await ledger.signCheckpoint()) as StoredCheckpoint;
      fork = await startServer(
        serverEnv({ url: database.url, keyFile: log.keyFile, dir: `${log.dir}/fork` }),
      );
    }, 120_000);

    afterAll(async () => {
      await fork?.stop();
      await store?.close();
      await database?.drop();
    });

    it('stops, names both sizes and roots, keeps both checkpoints, and changes nothing held', async () => {
      const before = await readFile(path.join(mirror, 'events.jsonl'));
      const result = await runMirror(fork.url);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('cuenta mirror: the log forked or rewrote its history');
      expect(result.stderr).toContain(
        `held: size 700, root ${toBase64(latest.rootHash)}; served: size 800, root ${toBase64(forked.rootHash)}`,
      );

      const evidence = path.join(mirror, 'fork-evidence');
      const [kept] = await readdir(evidence);
      expect(await readFile(path.join(evidence, kept, 'held-checkpoint.txt'), 'utf8')).toBe(
        latest.note,
      );
      expect(await readFile(path.join(evidence, kept, 'served-checkpoint.txt'), 'utf8')).toBe(
        forked.note,
      );
      expect(await readFile(path.join(mirror, 'events.jsonl'))).toEqual(before);
      const verified = await log.cli(['verify', mirror, '--key', key]);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain('700 events');
      // The log it followed is still fine with it.
      expect((await runMirror(server.url)).stdout).toContain('nothing new');
    });

    it('refuses a log that signs a smaller checkpoint than one held', async () => {
      const fresh = path.join(log.dir, 'mirror-of-fork');
      expect((await runMirror(fork.url, fresh)).code).toBe(0);
      const result = await runMirror(server.url, fresh);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        `its latest checkpoint is smaller than one it signed before (held: size 800, root ${toBase64(forked.rootHash)}; served: size 700, root ${toBase64(latest.rootHash)})`,
      );
    });
  });

  describe('a run that fails half way', () => {
    let proxy: Server;
    let url: string;

    beforeAll(async () => {
      // Passes everything through but the last entry bundle, which fails as an overloaded server would.
      proxy = createServer((request, response) => {
        void (async () => {
          if (request.url === '/log/tile/entries/003.p/232') {
            response.writeHead(503).end('overloaded\n');
            return;
          }
          const upstream = await fetch(`${server.url}${request.url}`);
          response.writeHead(upstream.status).end(new Uint8Array(await upstream.arrayBuffer()));
        })();
      });
      proxy.listen(0, '127.0.0.1');
      await once(proxy, 'listening');
      url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    });

    afterAll(() => {
      proxy?.close();
    });

    it('keeps only what verified, and the next run resumes from there', async () => {
      await log.store.append(
        'progress-1',
        Array.from({ length: 300 }, (_, i) => progressEvent(700 + i)),
        'any',
      );
      latest = (await log.ledger.signCheckpoint()) as StoredCheckpoint;
      expect(latest.size).toBe(1000);
      const before = await readFile(path.join(mirror, 'events.jsonl'));

      const failed = await runMirror(url);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe(
        `cuenta mirror: ${url}/log/tile/entries/003.p/232 answered 503: overloaded\n`,
      );
      expect(await readFile(path.join(mirror, 'events.jsonl'))).toEqual(before);
      expect((await log.cli(['verify', mirror, '--key', key])).stdout).toContain('700 events');

      // A run killed while writing leaves bytes past what it recorded.
      await appendFile(path.join(mirror, 'events.jsonl'), '{"half": "an ev');
      await appendFile(path.join(mirror, 'leaves.bin'), new Uint8Array(40));
      const resumed = await runMirror(server.url);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain(
        `size 1,000, root ${toBase64(latest.rootHash)}; 300 new events, 4 tiles fetched`,
      );
      const verified = await log.cli(['verify', mirror, '--key', key]);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain('1,000 events and 3 checkpoints');
    });
  });

  describe('a server that alters an entry', () => {
    let proxy: Server;
    let url: string;

    beforeAll(async () => {
      // Passes everything through, but changes one character of entry 3 in each bundle.
      proxy = createServer((request, response) => {
        void (async () => {
          const upstream = await fetch(`${server.url}${request.url}`);
          let body: Uint8Array = new Uint8Array(await upstream.arrayBuffer());
          if (request.url?.startsWith('/log/tile/entries/')) {
            const entries = decodeEntryBundle(body);
            entries[3] = new TextEncoder().encode(
              new TextDecoder().decode(entries[3]).replace('Avance', 'Avanze'),
            );
            body = encodeEntryBundle(entries);
          }
          response.writeHead(upstream.status).end(body);
        })();
      });
      proxy.listen(0, '127.0.0.1');
      await once(proxy, 'listening');
      url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    });

    afterAll(() => {
      proxy?.close();
    });

    it('stops naming the entry and the tile, and leaves the folder empty', async () => {
      const dir = path.join(log.dir, 'mirror-of-proxy');
      const result = await runMirror(url, dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^cuenta mirror: entry 3 of tile\/entries\/000 \(position 3\) hashes to \S+, but tile\/0\/000 has leaf hash \S+ there\n$/,
      );
      expect(await readdir(dir)).toEqual([]);
    });
  });

  describe('bad invocations', () => {
    it.each([
      [['--dir', 'x', '--key', 'KEY'], '--server <the Cuenta server URL> is required'],
      [['--server', 'URL', '--key', 'KEY'], '--dir <the mirror folder> is required'],
      [['--server', 'URL', '--dir', 'x'], "--key <the log's verifier key> is required"],
      [
        ['--server', 'ftp://x', '--dir', 'x', '--key', 'KEY'],
        '--server must be an http or https URL',
      ],
      [
        ['--server', 'not a url', '--dir', 'x', '--key', 'KEY'],
        '--server must be an http or https URL',
      ],
      [
        ['--server', 'URL', '--dir', 'x', '--key', 'nope+1234'],
        '--key is not a valid verifier key',
      ],
      [
        ['--server', 'URL', '--dir', 'x', '--key', 'WITNESS'],
        '--key must be the log key (type 0x01)',
      ],
      [['--server', 'URL', '--dir', 'x', '--key', 'KEY', 'extra'], 'unexpected argument "extra"'],
      [['--server', 'URL', '--dir', 'x', '--key', 'KEY', '--from', '3'], "Unknown option '--from'"],
    ])('%j exits 2 with one line', async (args, message) => {
      const argv = args.map((arg) =>
        arg === 'KEY'
          ? key
          : arg === 'URL'
            ? server.url
            : arg === 'WITNESS'
              ? witnessVerifierKeyFor(log.witnessKey)
              : arg === 'x'
                ? path.join(log.dir, 'unused')
                : arg,
      );
      const result = await log.cli(['mirror', ...argv]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`cuenta mirror: ${message}`);
    });

    it('refuses a folder that is neither empty nor a mirror', async () => {
      const dir = path.join(log.dir, 'occupied');
      await mkdir(dir);
      await writeFile(path.join(dir, 'notes.txt'), 'mine\n');
      const result = await runMirror(server.url, dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${dir} is neither empty nor a mirror`);
    });

    it('says which server it cannot reach, and exits 1', async () => {
      const result = await runMirror('http://127.0.0.1:9', path.join(log.dir, 'unreached'));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'cuenta mirror: cannot reach http://127.0.0.1:9/log/checkpoint',
      );
    });
  });
});
