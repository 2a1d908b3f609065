import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  canonicalize,
  encodeEntryBundle,
  encodeTile,
  formatCheckpoint,
  generateSignerKey,
  leafBytesOf,
  leafHash,
  parseTilePath,
  rootOf,
  signNote,
  TILE_WIDTH,
  toBase64,
  verifierKeyFor,
  type EventEnvelope,
} from '#ledger';
import { runNode } from '../support/server.js';

// The built `cuenta mirror` with its entries checked on worker threads, against tiles served
// over HTTP from memory: a log of 17 tiles, enough for the checks to leave the main thread.

const CLI = 'dist/apps/cli/src/main.js';

const origin = 'cuenta.example/cartagena';
const logKey = generateSignerKey(origin);
const key = verifierKeyFor(logKey);
const size = 16 * TILE_WIDTH + 10;

function event(position: number, note = 'avance'): EventEnvelope {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    stream: `progress-${position % 3}`,
    streamVersion: Math.floor(position / 3) + 1,
    position,
    type: 'ProgressReported',
    schemaVersion: 1,
    data: { note: `${note} ${position}` },
    metadata: {
      actor: { subject: 'planeacion-ana', role: 'steward' },
      occurredAt: '2023-06-01T12:00:00.000Z',
      recordedAt: '2023-06-01T12:00:00.000Z',
    },
  };
}

const events = Array.from({ length: size }, (_, i) => event(i));
const leaves = events.map((e) => leafHash(leafBytesOf(e)));
const root = rootOf(leaves);
const note = signNote(formatCheckpoint({ origin, size, rootHash: root }), [logKey]);

describe('cuenta mirror on worker threads', () => {
  let server: Server;
  let url: string;
  let dir: string;
  /** Bundles whose entry at this offset the server changes, by tile index. */
  const altered = new Map<number, number>();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-mirror-dir-'));
    server = createServer((request, response) => {
      const resource = (request.url ?? '').slice('/log/'.length);
      if (resource === 'checkpoint') return void response.end(note);
      const tile = parseTilePath(resource);
      const first = tile.index * TILE_WIDTH;
      const range = [first, first + tile.width] as const;
      if (tile.kind !== 'entries') return void response.end(encodeTile(leaves.slice(...range)));
      const bundle = events.slice(...range);
      const at = altered.get(tile.index);
      if (at !== undefined) bundle[at] = event(first + at, 'cambiado');
      response.end(encodeEntryBundle(bundle.map(leafBytesOf)));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  const mirror = (target: string, workers: string) =>
    runNode(
      CLI,
      ['mirror', '--server', url, '--dir', target, '--key', key, '--workers', workers],
      {},
    );

  afterAll(async () => {
    server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the bundle cuenta verify accepts, every line in its place, as on one thread', async () => {
    const target = path.join(dir, 'good');
    const result = await mirror(target, '2');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `size ${size.toLocaleString('en-US')}, root ${toBase64(root)}; ${size.toLocaleString('en-US')} new events, 34 tiles fetched`,
    );
    expect(await readFile(path.join(target, 'events.jsonl'), 'utf8')).toBe(
      events.map((e) => `${canonicalize(e)}\n`).join(''),
    );
    expect(await readFile(path.join(target, 'leaves.bin'))).toEqual(Buffer.concat(leaves));
    const verified = await runNode(CLI, ['verify', target, '--key', key], {});
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`${size.toLocaleString('en-US')} events and 1 checkpoint`);

    const single = path.join(dir, 'single');
    expect((await mirror(single, '0')).code).toBe(0);
    for (const file of ['events.jsonl', 'leaves.bin', 'checkpoints.jsonl']) {
      expect(await readFile(path.join(single, file))).toEqual(
        await readFile(path.join(target, file)),
      );
    }
  });

  it('stops at an altered entry, naming it and its tile, and leaves a new folder empty', async () => {
    altered.set(9, 200);
    try {
      const target = path.join(dir, 'altered');
      const result = await mirror(target, '2');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^cuenta mirror: entry 200 of tile\/entries\/009 \(position 2504\) hashes to \S+, but tile\/0\/009 has leaf hash \S+ there\n$/,
      );
      expect(await readdir(target)).toEqual([]);
    } finally {
      altered.clear();
    }
  });

  it('refuses a --workers that is not a small integer', async () => {
    const result = await mirror(path.join(dir, 'unused'), 'many');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'cuenta mirror: --workers must be an integer from 0 to 64 (got "many")',
    );
  });
});
