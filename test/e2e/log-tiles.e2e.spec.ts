import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  canonicalize,
  cosignCheckpoint,
  decodeEntryBundle,
  decodeTile,
  encodeEntryBundle,
  formatCheckpoint,
  generateSignerKey,
  leafBytesOf,
  leafHash,
  openCheckpoint,
  rootOf,
  signNote,
  toBase64,
  toHex,
  verifierKeyFor,
  witnessVerifierKeyFor,
  type EventEnvelope,
} from '#ledger';
import { PostgresEventStore } from '#event-store';
import { PostgresLedger, type StoredCheckpoint } from '#transparency';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server.js';

const origin = 'cuenta.example/cartagena';
const witnessKey = generateSignerKey('contraloria.example/witness');
const actor = { subject: 'planeacion-ana', role: 'steward', agency: 'planeacion' };
const OLD_SIZE = 300;
const SIZE = 600;
const GOPATH = '/usr/share/gocode';
const CLIENT_SOURCE = path.resolve('test/interop/go/tiles-client/main.go');

const hex = (hashes: readonly Uint8Array[]) => hashes.map(toHex);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('the log as c2sp.org/tlog-tiles', () => {
  let database: TestDatabase;
  let dir: string;
  let logKey: string;
  let server: ServerProcess;
  let store: PostgresEventStore;
  let events: EventEnvelope[];
  let old: StoredCheckpoint;
  let latest: StoredCheckpoint;
  let cosignature: string;

  const get = async (resource: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}/log/${resource}`, { headers });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      cache: response.headers.get('cache-control'),
      encoding: response.headers.get('content-encoding'),
      vary: response.headers.get('vary'),
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-tiles-e2e-'));
    logKey = generateSignerKey(origin);
    await writeFile(path.join(dir, 'log.key'), logKey + '\n', { mode: 0o600 });
    store = await PostgresEventStore.open({ connectionString: database.url });
    const ledger = new PostgresLedger(store.pool, {
      origin,
      signerKey: logKey,
      witnessKeys: [witnessVerifierKeyFor(witnessKey)],
    });
    const appendHundred = (batch: number) =>
      store.append(
        `commitment-${batch}`,
        Array.from({ length: 100 }, (_, i) => ({
          type: 'ProgressReported',
          data: { batch, i, note: `avance ${batch}.${i} — ñandú` },
          metadata: { actor },
        })),
        'any',
      );
    for (let batch = 0; batch < OLD_SIZE / 100; batch++) await appendHundred(batch);
    old = (await ledger.signCheckpoint()) as StoredCheckpoint;
    for (let batch = OLD_SIZE / 100; batch < SIZE / 100; batch++) await appendHundred(batch);
    latest = (await ledger.signCheckpoint()) as StoredCheckpoint;
    cosignature = cosignCheckpoint({
      signerKey: witnessKey,
      checkpointBody: latest.note.slice(0, latest.note.indexOf('\n\n') + 1),
      timestamp: 1_700_000_000,
    });
    await ledger.addCosignature({ size: latest.size, line: cosignature });
    events = [];
    while (events.length < SIZE) {
      events.push(...(await store.readAll({ from: events.length, limit: 1000, raw: true })));
    }
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dir,
      CUENTA_LOG_KEY_FILE: path.join(dir, 'log.key'),
      CUENTA_CHECKPOINT_INTERVAL_SECONDS: '86400',
      CUENTA_CHECKPOINT_EVERY_EVENTS: '1000000',
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('over HTTP', () => {
    it('stores the full entry bundles in the background, each the gzip of its events', async () => {
      const stored = async () =>
        (
          await store.pool.query<{ tile_index: string; gzip: Buffer }>(
            'SELECT tile_index, gzip FROM events.entry_bundles ORDER BY tile_index',
          )
        ).rows;
      const deadline = Date.now() + 30_000;
      while ((await stored()).length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const rows = await stored();
      expect(rows.map((row) => Number(row.tile_index))).toEqual([0, 1]);
      rows.forEach((row, i) =>
        expect(toHex(gunzipSync(row.gzip))).toBe(
          toHex(encodeEntryBundle(events.slice(256 * i, 256 * (i + 1)).map(leafBytesOf))),
        ),
      );
    });

    it('serves the latest checkpoint with its cosignatures, cacheable for seconds only', async () => {
      const response = await get('checkpoint');
      expect(response).toMatchObject({
        status: 200,
        type: 'text/plain; charset=utf-8',
        cache: 'public, max-age=5',
      });
      expect(text(response.bytes)).toBe(`${latest.note}${cosignature.replace(/\n$/, '')}\n`);
      const opened = openCheckpoint({
        note: text(response.bytes),
        origin,
        logKey: verifierKeyFor(logKey),
      });
      expect(opened.checkpoint.size).toBe(SIZE);
      expect(toHex(opened.checkpoint.rootHash)).toBe(toHex(latest.rootHash));
    });

    it('serves a full level-0 tile of 256 leaf hashes, immutable', async () => {
      const response = await get('tile/0/001');
      expect(response).toMatchObject({
        status: 200,
        type: 'application/octet-stream',
        cache: 'public, max-age=31536000, immutable',
      });
      expect(response.bytes).toHaveLength(8192);
      expect(hex(decodeTile(response.bytes))).toEqual(
        hex(events.slice(256, 512).map((event) => leafHash(leafBytesOf(event)))),
      );
    });

    it('serves the partial level-0 tile, and narrower ones, for a minute', async () => {
      const partial = await get('tile/0/002.p/88');
      expect(partial).toMatchObject({
        status: 200,
        type: 'application/octet-stream',
        cache: 'public, max-age=60',
      });
      expect(hex(decodeTile(partial.bytes))).toEqual(
        hex(events.slice(512, 600).map((event) => leafHash(leafBytesOf(event)))),
      );
      const narrower = await get('tile/0/002.p/10');
      expect(toHex(narrower.bytes)).toBe(toHex(partial.bytes.subarray(0, 320)));
    });

    it('serves level-1 hashes as the Merkle Tree Hashes of full level-0 tiles', async () => {
      const response = await get('tile/1/000.p/2');
      const leaves = events.map((event) => leafHash(leafBytesOf(event)));
      expect(response.status).toBe(200);
      expect(hex(decodeTile(response.bytes))).toEqual(
        hex([rootOf(leaves.slice(0, 256)), rootOf(leaves.slice(256, 512))]),
      );
    });

    it('serves entry bundles of each event canonical JSON, length-prefixed', async () => {
      const full = await get('tile/entries/000', { 'accept-encoding': 'gzip, identity' });
      expect(full).toMatchObject({
        status: 200,
        type: 'application/octet-stream',
        cache: 'public, max-age=31536000, immutable',
        encoding: 'gzip',
        vary: 'Accept-Encoding',
      });
      expect(decodeEntryBundle(full.bytes).map(text)).toEqual(
        events.slice(0, 256).map((event) => canonicalize(event)),
      );
      const partial = await get('tile/entries/002.p/88');
      expect(partial.cache).toBe('public, max-age=60');
      expect(decodeEntryBundle(partial.bytes).map(text)).toEqual(
        events.slice(512, 600).map((event) => canonicalize(event)),
      );
    });

    it('serves entry bundles uncompressed to a client that does not take gzip', async () => {
      const plain = await get('tile/entries/001', { 'accept-encoding': 'identity' });
      expect(plain).toMatchObject({ status: 200, encoding: null, vary: 'Accept-Encoding' });
      expect(decodeEntryBundle(plain.bytes).map(text)).toEqual(
        events.slice(256, 512).map((event) => canonicalize(event)),
      );
    });

    it.each([
      ['tile/0/003', 'tile/0/003 is beyond the log, which has 600 events'],
      ['tile/0/002', 'tile/0/002 is beyond the log'],
      ['tile/0/002.p/89', 'tile/0/002.p/89 is beyond the log'],
      ['tile/1/000', 'tile/1/000 is beyond the log'],
      ['tile/2/000.p/1', 'tile/2/000.p/1 is beyond the log'],
      ['tile/entries/x001/000', 'tile/entries/x001/000 is beyond the log'],
    ])('answers 404 for %s, which the tree does not reach', async (resource, message) => {
      const response = await get(resource);
      expect(response.status).toBe(404);
      expect(response.cache).toBe('no-store');
      expect(text(response.bytes)).toContain(message);
    });

    it.each([
      ['tile/0/1', 'groups of three digits'],
      ['tile/00/000', 'tile level'],
      ['tile/64/000', 'tile level'],
      ['tile/0/x000/001', 'leading x000 group'],
      ['tile/0/000.p/0', 'partial width'],
      ['tile/0/000.p/256', 'partial width'],
      ['tile/8/0/000', 'groups of three digits'],
      ['tile/data/000', 'tile level'],
    ])('answers 400 for the malformed path %s, saying what is wrong', async (resource, message) => {
      const response = await get(resource);
      expect(response.status).toBe(400);
      expect(response.type).toBe('text/plain; charset=utf-8');
      expect(text(response.bytes)).toContain(message);
      expect(text(response.bytes)).toContain(`"${resource}"`);
    });
  });

  describe("read by Go's own tlog code (golang.org/x/mod/sumdb)", () => {
    let client: string;

    beforeAll(async () => {
      client = await buildGoClient(dir);
    }, 600_000);

    const runClient = async (key: string, oldNote: string) => {
      const oldFile = path.join(dir, `old-${Math.random().toString(36).slice(2)}.checkpoint`);
      await writeFile(oldFile, oldNote);
      return run(client, ['-server', server.url, '-key', key, '-index', '300', '-old', oldFile]);
    };

    it('verifies the checkpoint, the tree hash from the tiles, every entry, a record and consistency', async () => {
      const result = await runClient(verifierKeyFor(logKey), old.note);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        origin,
        size: SIZE,
        rootHash: toBase64(latest.rootHash),
        treeHashFromTiles: toBase64(latest.rootHash),
        entriesChecked: SIZE,
        record: { index: 300, data: canonicalize(events[300]) },
        consistency: { oldSize: OLD_SIZE, newSize: SIZE },
        tilesFetched: expect.any(Number),
      });
      expect(old.size).toBe(OLD_SIZE);
    });

    it('refuses the checkpoint under another key', async () => {
      const result = await runClient(verifierKeyFor(generateSignerKey(origin)), old.note);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('latest checkpoint: signature');
    });

    it('refuses an old checkpoint whose root the log never had', async () => {
      const forged = signNote(
        formatCheckpoint({ origin, size: OLD_SIZE, rootHash: new Uint8Array(32).fill(9) }),
        [logKey],
      );
      const result = await runClient(verifierKeyFor(logKey), forged);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`check consistency ${OLD_SIZE} -> ${SIZE}`);
    });
  });
});

/**
 * Builds the Go client in GOPATH mode against Debian's golang-golang-x-mod-dev. Fails, never
 * skips, when Go or the module is missing: CI installs both (.ci/run).
 */
async function buildGoClient(dir: string): Promise<string> {
  const install =
    'install Debian packages golang-go and golang-golang-x-mod-dev ' +
    '(apt-get install -y golang-go golang-golang-x-mod-dev)';
  const version = await run('go', ['version']).catch((error: Error) => {
    throw new Error(
      `Go is needed for the tlog-tiles interoperability test: ${error.message}; ${install}`,
    );
  });
  if (version.code !== 0) throw new Error(`"go version" failed: ${version.stderr}; ${install}`);
  await access(path.join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog')).catch(() => {
    throw new Error(`golang.org/x/mod is not in ${GOPATH}; ${install}`);
  });
  const out = path.join(dir, 'tiles-client');
  const build = await run('go', ['build', '-o', out, CLIENT_SOURCE], {
    GO111MODULE: 'off',
    GOPATH,
    GOCACHE: path.join(os.tmpdir(), 'cuenta-go-build-cache'),
    GOFLAGS: '',
  });
  if (build.code !== 0) throw new Error(`building the Go tiles client failed:\n${build.stderr}`);
  return out;
}

async function run(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // Rejects when the command cannot be started (ENOENT); 'close' waits for all its output.
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
