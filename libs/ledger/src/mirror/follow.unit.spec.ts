import { describe, expect, it } from '@jest/globals';

import { formatCheckpoint } from '../checkpoint/checkpoint.js';
import { toBase64 } from '../encoding/base64.js';
import { leafBytesOf, type EventEnvelope } from '../event/envelope.js';
import { canonicalize } from '../jcs/canonicalize.js';
import { leafHash, rootOf } from '../merkle/hash.js';
import { CompactRange } from '../merkle/compact-range.js';
import { generateSignerKey, parseVerifierKey, verifierKeyFor } from '../note/keys.js';
import { signNote } from '../note/note.js';
import {
  encodeEntryBundle,
  encodeTile,
  parseTilePath,
  TILE_WIDTH,
  tileWidthIn,
} from '../tiles/tiles.js';
import { leafHashesOf } from '../bundle/leaf-hashes.js';
import {
  followLog,
  LogForkError,
  MirrorError,
  type EntryChecker,
  type HeldLog,
  type MirroredTile,
} from './follow.js';

const origin = 'cuenta.example/cartagena';
const logKey = generateSignerKey(origin);
const pinned = parseVerifierKey(verifierKeyFor(logKey));

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

/** A log served as tlog-tiles from memory, its checkpoint signed by `key`. */
function serve(events: readonly EventEnvelope[], key = logKey) {
  const leaves = events.map((e) => leafHash(leafBytesOf(e)));
  const size = events.length;
  const root = rootOf(leaves);
  const note = signNote(formatCheckpoint({ origin, size, rootHash: root }), [key]);
  const fetch = (resource: string): Promise<Uint8Array> => {
    if (resource === 'checkpoint') return Promise.resolve(new TextEncoder().encode(note));
    const tile = parseTilePath(resource);
    if (tile.kind === 'hashes' && tile.level !== 0) throw new Error('only level 0 is served');
    if (tileWidthIn({ level: 0, index: tile.index, treeSize: size }) < tile.width) {
      return Promise.reject(new Error(`${resource} is beyond the log`));
    }
    const first = tile.index * TILE_WIDTH;
    const range = [first, first + tile.width] as const;
    return Promise.resolve(
      tile.kind === 'entries'
        ? encodeEntryBundle(events.slice(...range).map(leafBytesOf))
        : encodeTile(leaves.slice(...range)),
    );
  };
  return { fetch, note, root, leaves };
}

const log = (n: number, note?: string) => Array.from({ length: n }, (_, i) => event(i, note));

async function follow(held: HeldLog, server: ReturnType<typeof serve>) {
  const tiles: MirroredTile[] = [];
  const result = await followLog({
    held,
    logKey: pinned,
    fetch: server.fetch,
    onTile: (t) => void tiles.push(t),
  });
  return { result, tiles };
}

function heldOf(server: ReturnType<typeof serve>): HeldLog {
  const range = CompactRange.empty();
  for (const leaf of server.leaves) range.append(leaf);
  return { origin, range, note: server.note };
}

describe('followLog', () => {
  it('follows a log from nothing: every entry, in order, proven by the signed root', async () => {
    const server = serve(log(300));
    const { result, tiles } = await follow({ range: CompactRange.empty() }, server);
    expect(result.fetched).toEqual([
      'checkpoint',
      'tile/0/000',
      'tile/entries/000',
      'tile/0/001.p/44',
      'tile/entries/001.p/44',
    ]);
    expect(result.range.size).toBe(300);
    expect(toBase64(result.range.root())).toBe(toBase64(server.root));
    expect(tiles.map((t) => [t.first, t.lines.length])).toEqual([
      [0, 256],
      [256, 44],
    ]);
    expect(tiles.flatMap((t) => t.lines)).toEqual(log(300).map((e) => canonicalize(e)));
    expect(result.note).toBe(server.note);
  });

  it('fetches only the tiles past the size held, never a full tile it holds', async () => {
    const events = log(600);
    const { result, tiles } = await follow(heldOf(serve(events.slice(0, 300))), serve(events));
    expect(result.fetched).toEqual([
      'checkpoint',
      'tile/0/001',
      'tile/entries/001',
      'tile/0/002.p/88',
      'tile/entries/002.p/88',
    ]);
    expect(tiles.map((t) => [t.first, t.lines.length])).toEqual([
      [300, 212],
      [512, 88],
    ]);
    expect(toBase64(result.range.root())).toBe(toBase64(serve(events).root));
  });

  it('fetches nothing but the checkpoint when the log has not grown', async () => {
    const server = serve(log(300));
    const { result, tiles } = await follow(heldOf(server), server);
    expect(result.fetched).toEqual(['checkpoint']);
    expect(tiles).toEqual([]);
  });

  it('refuses another root for the size held, naming both', async () => {
    const held = serve(log(300));
    const other = serve(log(300, 'otra historia'));
    const error = await follow(heldOf(held), other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogForkError);
    expect((error as LogForkError).message).toBe(
      `the log forked or rewrote its history: it signed two roots for the same size (held: size 300, root ${toBase64(held.root)}; served: size 300, root ${toBase64(other.root)})`,
    );
    expect((error as LogForkError).served.note).toBe(other.note);
  });

  it('refuses a smaller checkpoint than the one held', async () => {
    const error = await follow(heldOf(serve(log(300))), serve(log(200))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogForkError);
    expect((error as Error).message).toContain(
      'its latest checkpoint is smaller than one it signed before',
    );
  });

  it('refuses a larger log whose first entries are not the ones held', async () => {
    const rewritten = log(600);
    rewritten[5] = event(5, 'cambiado');
    const held = serve(log(300));
    const error = await follow(heldOf(held), serve(rewritten)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogForkError);
    expect((error as Error).message).toContain(
      `the 300 entries it serves after the 300 held give root`,
    );
    expect((error as Error).message).toContain(`held: size 300, root ${toBase64(held.root)}`);
  });

  it('refuses a checkpoint the pinned key did not sign', async () => {
    const error = await follow(
      { range: CompactRange.empty() },
      serve(log(10), generateSignerKey(origin)),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirrorError);
    expect((error as Error).message).toContain(
      'the checkpoint served does not verify with the pinned key',
    );
  });

  it('refuses an entry that does not hash to its leaf in the tile', async () => {
    const server = serve(log(10));
    const altered = log(10);
    altered[3] = event(3, 'cambiado');
    const fetch = (resource: string) =>
      resource.startsWith('tile/entries/')
        ? Promise.resolve(encodeEntryBundle(altered.map(leafBytesOf)))
        : server.fetch(resource);
    const error = await followLog({
      held: { range: CompactRange.empty() },
      logKey: pinned,
      fetch,
      onTile: () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirrorError);
    expect((error as Error).message).toMatch(
      /^entry 3 of tile\/entries\/000\.p\/10 \(position 3\) hashes to \S+, but tile\/0\/000\.p\/10 has leaf hash \S+ there$/,
    );
  });

  it('refuses an entry that is not an event at its position', async () => {
    const server = serve(log(10));
    const shifted = log(10);
    shifted[4] = event(5);
    const fetch = (resource: string) =>
      resource.startsWith('tile/entries/')
        ? Promise.resolve(encodeEntryBundle(shifted.map(leafBytesOf)))
        : server.fetch(resource);
    const error = await followLog({
      held: { range: CompactRange.empty() },
      logKey: pinned,
      fetch,
      onTile: () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirrorError);
    expect((error as Error).message).toContain(
      'entry 4 of tile/entries/000.p/10 (position 4) is not an event of the log',
    );
    expect((error as Error).message).toContain('envelope says position 5, expected 4');
  });
});

describe('followLog and the bytes of an entry', () => {
  it('refuses an entry with a byte-order mark before its JSON, which its leaf hash does not cover', async () => {
    const events = log(10);
    const server = serve(events);
    const entries = events.map(leafBytesOf);
    entries[2] = Uint8Array.from([0xef, 0xbb, 0xbf, ...entries[2]]);
    const fetch = (resource: string) =>
      resource.startsWith('tile/entries/')
        ? Promise.resolve(encodeEntryBundle(entries))
        : server.fetch(resource);
    const error = await followLog({
      held: { range: CompactRange.empty() },
      logKey: pinned,
      fetch,
      onTile: () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirrorError);
    expect((error as Error).message).toContain(
      'entry 2 of tile/entries/000.p/10 (position 2) is not an event of the log: ',
    );
  });
});

describe('followLog with an EntryChecker', () => {
  // 17 tiles (16 full, one of 10): enough for the checks to be handed to the checker.
  const size = 16 * TILE_WIDTH + 10;
  const events = log(size);
  const server = serve(events);
  const decoder = new TextDecoder();

  /** Checks as a worker would (leafHashesOf), after `delay(firstPosition)` ms. */
  const checker = (delay: (first: number) => number = () => 0) => {
    const calls: number[] = [];
    const check: EntryChecker = async ({ jsonl, firstPosition, leaves }) => {
      calls.push(firstPosition);
      await new Promise((resolve) => setTimeout(resolve, delay(firstPosition)));
      const lines = decoder.decode(jsonl).slice(0, -1).split('\n');
      try {
        return leafHashesOf(lines, { firstPosition, signedLeaves: leaves });
      } catch {
        return undefined;
      }
    };
    return { check, calls };
  };

  const follow = (fetch: (resource: string) => Promise<Uint8Array>, check: EntryChecker) => {
    const tiles: MirroredTile[] = [];
    const done = followLog({
      held: { range: CompactRange.empty() },
      logKey: pinned,
      fetch,
      onTile: (t) => void tiles.push(t),
      checkEntries: check,
    });
    return { done, tiles };
  };

  /** The server, with entry `entry` of bundle `index` changed. */
  const altering = (targets: { index: number; entry: number }[]) => (resource: string) => {
    const target = targets.find((t) => resource.startsWith(`tile/entries/${formatIndex(t.index)}`));
    if (!target) return server.fetch(resource);
    const first = target.index * TILE_WIDTH;
    const bundle = events.slice(first, first + TILE_WIDTH).map((e) => e);
    bundle[target.entry] = event(first + target.entry, 'cambiado');
    return Promise.resolve(encodeEntryBundle(bundle.map(leafBytesOf)));
  };

  it('hands every tile to the checker and passes them on in order, as events.jsonl and leaves.bin hold them', async () => {
    const { check, calls } = checker((first) => (first % 512 === 0 ? 5 : 0));
    const { done, tiles } = follow(server.fetch, check);
    const result = await done;
    expect(calls).toHaveLength(17);
    expect(toBase64(result.range.root())).toBe(toBase64(server.root));
    expect(tiles.map((t) => t.first)).toEqual(Array.from({ length: 17 }, (_, i) => i * TILE_WIDTH));
    const jsonl = tiles.map((t) => decoder.decode(t.jsonl)).join('');
    expect(jsonl).toBe(events.map((e) => `${canonicalize(e)}\n`).join(''));
    expect(tiles.flatMap((t) => t.lines)).toEqual(events.map((e) => canonicalize(e)));
    expect(Buffer.concat(tiles.map((t) => t.hashes))).toEqual(Buffer.concat(server.leaves));
  });

  it('keeps the checks on this thread for fewer tiles', async () => {
    const { check, calls } = checker();
    const small = serve(log(3 * TILE_WIDTH));
    const tiles: MirroredTile[] = [];
    await followLog({
      held: { range: CompactRange.empty() },
      logKey: pinned,
      fetch: small.fetch,
      onTile: (t) => void tiles.push(t),
      checkEntries: check,
    });
    expect(calls).toEqual([]);
    expect(tiles).toHaveLength(3);
  });

  it('names the entry a checker refused as this thread does, the earliest in the log first', async () => {
    // Tile 12's check is answered long before tile 5's.
    const { check } = checker((first) => (first === 5 * TILE_WIDTH ? 50 : 0));
    const { done, tiles } = follow(
      altering([
        { index: 5, entry: 7 },
        { index: 12, entry: 1 },
      ]),
      check,
    );
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MirrorError);
    expect((error as Error).message).toMatch(
      /^entry 7 of tile\/entries\/005 \(position 1287\) hashes to \S+, but tile\/0\/005 has leaf hash \S+ there$/,
    );
    // Only the tiles before it were passed on.
    expect(tiles.map((t) => t.first)).toEqual([0, 256, 512, 768, 1024]);
  });

  it('checks a tile again here when the checker answers other hashes than the tile has', async () => {
    const wrong: EntryChecker = ({ leaves }) => Promise.resolve(new Uint8Array(leaves.length));
    const { done } = follow(server.fetch, wrong);
    // Every entry is right: the tiles check out here, and the log is followed.
    expect(toBase64((await done).range.root())).toBe(toBase64(server.root));
  });

  it('fails when the checker cannot check', async () => {
    const broken: EntryChecker = () => Promise.reject(new Error('a worker exited'));
    const { done } = follow(server.fetch, broken);
    await expect(done).rejects.toThrow('a worker exited');
  });
});

/** A tile index as tile paths write it (below 1000: three digits). */
function formatIndex(index: number): string {
  return String(index).padStart(3, '0');
}
