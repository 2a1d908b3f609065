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
import { followLog, LogForkError, MirrorError, type HeldLog, type MirroredTile } from './follow.js';

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
