import { openCheckpoint, type OpenedCheckpoint } from '../checkpoint/checkpoint.js';
import { toBase64 } from '../encoding/base64.js';
import { bytesEqual } from '../encoding/bytes.js';
import { LedgerError } from '../errors.js';
import { eventLineLeafHash } from '../bundle/leaf-hashes.js';
import { CompactRange } from '../merkle/compact-range.js';
import type { VerifierKey } from '../note/keys.js';
import {
  decodeEntryBundle,
  decodeTile,
  formatTilePath,
  TILE_WIDTH,
  tileWidthIn,
  type Tile,
} from '../tiles/tiles.js';

/** What a mirror already holds and has verified: a prefix of the log and its latest checkpoint. */
export interface HeldLog {
  /** The log's origin, once a checkpoint was held. */
  readonly origin?: string;
  /** The border of the tree of the leaves held, [0, range.size). */
  readonly range: CompactRange;
  /** The latest checkpoint note held (signed, with the cosignatures it came with). */
  readonly note?: string;
}

/** The log showed two histories: the checkpoint held and the one served cannot both be true. */
export class LogForkError extends LedgerError {
  constructor(
    readonly held: { size: number; root: Uint8Array; note?: string },
    readonly served: { size: number; root: Uint8Array; note: string },
    reason: string,
  ) {
    super(
      'LEDGER_MISMATCH',
      `the log forked or rewrote its history: ${reason} (held: size ${held.size}, root ` +
        `${toBase64(held.root)}; served: size ${served.size}, root ${toBase64(served.root)})`,
    );
  }
}

/** The log served something that does not verify (a tile, a bundle, a checkpoint). */
export class MirrorError extends LedgerError {
  constructor(message: string) {
    super('LEDGER_MISMATCH', message);
  }
}

/** New leaves of one level-0 tile, verified against the tile: canonical event lines and leaf hashes. */
export interface MirroredTile {
  /** Position of the first of `lines`. */
  readonly first: number;
  readonly lines: readonly string[];
  readonly leaves: readonly Uint8Array[];
}

export interface FollowResult {
  /** The checkpoint served, verified with the pinned key. */
  readonly checkpoint: OpenedCheckpoint;
  /** Its note, as served (with cosignatures). */
  readonly note: string;
  /** The border of the tree now held: range.size is the checkpoint's size. */
  readonly range: CompactRange;
  /** Resources fetched below the log's prefix, in order (`checkpoint`, `tile/0/...`). */
  readonly fetched: readonly string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How many level-0 tiles (with their entry bundles) are fetched ahead of the one checked. */
const PREFETCH = 8;

/**
 * Follows a log through its c2sp.org/tlog-tiles endpoints, from what a mirror holds to the
 * latest checkpoint. `fetch` reads one resource below the log's prefix (`checkpoint`,
 * `tile/0/x001/234.p/17`, `tile/entries/...`) and rejects when it cannot.
 *
 * The checkpoint must be signed by `logKey` for the origin held. Only the level-0 tiles and
 * entry bundles from the held size to the checkpoint's are fetched: full tiles the mirror
 * already holds never are. Each new entry must be an event's canonical JSON at its position
 * whose leaf hash is the tile's; `onTile` receives them tile by tile, in order, before the
 * root is checked, so a caller writes them provisionally. Finally the root of the held leaves
 * followed by the new ones must be the checkpoint's root: that proves the served tree extends
 * the held one. Throws LogForkError when it does not (or when the log went back to a smaller
 * size, or signed another root for the size held), MirrorError for anything else that does not
 * verify; the held state is then unchanged and the caller discards what `onTile` received.
 */
export async function followLog(args: {
  held: HeldLog;
  logKey: VerifierKey;
  fetch: (resource: string) => Promise<Uint8Array>;
  onTile: (tile: MirroredTile) => Promise<void> | void;
}): Promise<FollowResult> {
  const { held, logKey } = args;
  const fetched: string[] = [];
  const get = (resource: string) => {
    fetched.push(resource);
    return args.fetch(resource);
  };
  const note = text(await get('checkpoint'), 'the checkpoint');
  const origin = held.origin ?? note.slice(0, Math.max(0, note.indexOf('\n')));
  let checkpoint: OpenedCheckpoint;
  try {
    checkpoint = openCheckpoint({ note, origin, logKey });
  } catch (error) {
    throw new MirrorError(
      `the checkpoint served does not verify with the pinned key: ${(error as Error).message}`,
    );
  }
  const { size, rootHash } = checkpoint.checkpoint;
  const heldSize = held.range.size;
  const heldRoot = held.range.root();
  const served = { size, root: rootHash, note };
  const heldView = { size: heldSize, root: heldRoot, note: held.note };
  if (size < heldSize) {
    throw new LogForkError(
      heldView,
      served,
      `its latest checkpoint is smaller than one it signed before`,
    );
  }
  if (size === heldSize) {
    if (!bytesEqual(rootHash, heldRoot)) {
      throw new LogForkError(heldView, served, 'it signed two roots for the same size');
    }
    return { checkpoint, note, range: held.range, fetched };
  }

  const range = held.range.clone();
  const tiles: Tile[] = [];
  for (let index = Math.floor(heldSize / TILE_WIDTH); index * TILE_WIDTH < size; index++) {
    tiles.push({
      kind: 'hashes',
      level: 0,
      index,
      width: tileWidthIn({ level: 0, index, treeSize: size }),
    });
  }
  const fetchTile = (tile: Tile) =>
    Promise.all([get(formatTilePath(tile)), get(formatTilePath({ ...tile, kind: 'entries' }))]);
  const pending = tiles.slice(0, PREFETCH).map(fetchTile);
  // Settled later; a rejection is not unhandled while earlier tiles are being checked.
  for (const promise of pending) promise.catch(() => undefined);
  for (const [i, tile] of tiles.entries()) {
    const [hashBytes, bundleBytes] = await pending[i];
    if (i + PREFETCH < tiles.length) {
      const next = fetchTile(tiles[i + PREFETCH]);
      next.catch(() => undefined);
      pending.push(next);
    }
    await args.onTile(checkTile(tile, hashBytes, bundleBytes, range));
  }
  const root = range.root();
  if (!bytesEqual(root, rootHash)) {
    throw new LogForkError(
      heldView,
      served,
      `the ${size - heldSize} entries it serves after the ${heldSize} held give root ` +
        `${toBase64(root)}, not the root it signed`,
    );
  }
  return { checkpoint, note, range, fetched };
}

/** Checks one level-0 tile and its entry bundle, appending the new leaves to `range`. */
function checkTile(
  tile: Tile,
  hashBytes: Uint8Array,
  bundleBytes: Uint8Array,
  range: CompactRange,
): MirroredTile {
  const path = formatTilePath(tile);
  const entriesPath = formatTilePath({ ...tile, kind: 'entries' });
  let hashes: Uint8Array[];
  let entries: Uint8Array[];
  try {
    hashes = decodeTile(hashBytes);
    entries = decodeEntryBundle(bundleBytes);
  } catch (error) {
    throw new MirrorError(`${path}: ${(error as Error).message}`);
  }
  if (hashes.length !== tile.width) {
    throw new MirrorError(`${path} holds ${hashes.length} hashes, expected ${tile.width}`);
  }
  if (entries.length !== tile.width) {
    throw new MirrorError(`${entriesPath} holds ${entries.length} entries, expected ${tile.width}`);
  }
  const base = tile.index * TILE_WIDTH;
  const first = range.size;
  const lines: string[] = [];
  const leaves: Uint8Array[] = [];
  for (let i = first - base; i < tile.width; i++) {
    const position = base + i;
    const where = `entry ${i} of ${entriesPath} (position ${position})`;
    const line = text(entries[i], where);
    let leaf: Uint8Array;
    try {
      leaf = eventLineLeafHash({ line, position, lineNumber: position + 1 });
    } catch (error) {
      throw new MirrorError(`${where} is not an event of the log: ${(error as Error).message}`);
    }
    if (!bytesEqual(leaf, hashes[i])) {
      throw new MirrorError(
        `${where} hashes to ${toBase64(leaf)}, but ${path} has leaf hash ${toBase64(hashes[i])} there`,
      );
    }
    range.append(leaf);
    lines.push(line);
    leaves.push(leaf);
  }
  return { first, lines, leaves };
}

function text(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new MirrorError(`${what} is not UTF-8`);
  }
}
