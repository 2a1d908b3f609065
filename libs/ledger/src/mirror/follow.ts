import { openCheckpoint, type OpenedCheckpoint } from '../checkpoint/checkpoint.js';
import { toBase64 } from '../encoding/base64.js';
import { bytesEqual } from '../encoding/bytes.js';
import { LedgerError } from '../errors.js';
import { eventLineLeafHash } from '../bundle/leaf-hashes.js';
import { CompactRange } from '../merkle/compact-range.js';
import { HASH_SIZE } from '../merkle/hash.js';
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
  /** The new entries as events.jsonl holds them: each line followed by a newline. */
  readonly jsonl: Uint8Array;
  /** Their leaf hashes, 32 bytes each, as leaves.bin holds them. */
  readonly hashes: Uint8Array;
  /** The lines of `jsonl`, without newlines (decoded when asked for). */
  readonly lines: readonly string[];
  /** The leaf hashes of `hashes`, one by one. */
  readonly leaves: readonly Uint8Array[];
}

/**
 * Checks the lines of `jsonl` (whole lines, each with its newline), the first at
 * `firstPosition`, as checkTile does on this thread: each must be an event's canonical JSON at
 * its position whose leaf hash is the next 32 bytes of `leaves`. Resolves with the leaf hashes
 * when every line checks out, with undefined when one does not (followLog then checks the tile
 * again on this thread, to say which entry and why); rejects when it could not check at all.
 * May take `jsonl`, not `leaves`.
 */
export type EntryChecker = (chunk: {
  jsonl: Uint8Array;
  firstPosition: number;
  leaves: Uint8Array;
}) => Promise<Uint8Array | undefined>;

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

// fatal: bytes that are not UTF-8 fail. ignoreBOM: a BOM is kept, so an entry that starts with
// one fails as JSON rather than being hashed without the bytes the mirror would write.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** How many level-0 tiles (with their entry bundles) are fetched ahead of the one checked. */
const PREFETCH = 8;
/** Below this many tiles to fetch, an EntryChecker is not worth its start-up: checks stay here. */
export const CHECK_ELSEWHERE_FROM = 16;
/** Tiles an EntryChecker may be checking at once, while the next ones are fetched. */
const CHECKS_IN_FLIGHT = 8;
const NEWLINE = 0x0a;

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
 *
 * With `checkEntries` and at least CHECK_ELSEWHERE_FROM tiles to fetch, the entries' checks
 * (parsing, canonical form, SHA-256) run there, for example on worker threads, several tiles at
 * a time; tiles still reach `onTile` in order, and the first tile that fails, in log order, is
 * the one reported, with the same error as on this thread.
 */
export async function followLog(args: {
  held: HeldLog;
  logKey: VerifierKey;
  fetch: (resource: string) => Promise<Uint8Array>;
  onTile: (tile: MirroredTile) => Promise<void> | void;
  checkEntries?: EntryChecker;
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
  const elsewhere = tiles.length >= CHECK_ELSEWHERE_FROM ? args.checkEntries : undefined;
  const check = async (tile: Tile, [hashBytes, bundleBytes]: [Uint8Array, Uint8Array]) => {
    const first = Math.max(heldSize, tile.index * TILE_WIDTH);
    if (!elsewhere) return checkTile(tile, hashBytes, bundleBytes, first);
    const { jsonl, leaves } = prepareTile(tile, hashBytes, bundleBytes, first);
    const hashes = await elsewhere({ jsonl: jsonl.slice(), firstPosition: first, leaves });
    // Anything but exactly the tile's leaves is checked again here, which names the entry.
    if (!hashes || !bytesEqual(hashes, leaves))
      return checkTile(tile, hashBytes, bundleBytes, first);
    return new VerifiedTile(first, jsonl, leaves);
  };
  const pending = tiles.slice(0, PREFETCH).map(fetchTile);
  // Settled later; a rejection is not unhandled while earlier tiles are being checked.
  for (const promise of pending) promise.catch(() => undefined);
  // Checks started, in log order; their outcomes are taken in that order too.
  const checking: Promise<VerifiedTile>[] = [];
  const takeOne = async () => {
    const tile = await (checking.shift() as Promise<VerifiedTile>);
    for (const leaf of tile.leaves) range.append(leaf);
    await args.onTile(tile);
  };
  for (const [i, tile] of tiles.entries()) {
    const fetched = pending[i];
    if (i + PREFETCH < tiles.length) {
      const next = fetchTile(tiles[i + PREFETCH]);
      next.catch(() => undefined);
      pending.push(next);
    }
    if (!elsewhere) {
      checking.push(check(tile, await fetched));
      await takeOne();
      continue;
    }
    const checked = fetched.then((bytes) => check(tile, bytes));
    checked.catch(() => undefined);
    checking.push(checked);
    while (checking.length > CHECKS_IN_FLIGHT) await takeOne();
    // Not past the fetches: the next tile's bytes are awaited before its check is started.
    await fetched;
  }
  while (checking.length > 0) await takeOne();
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

/** A tile's new entries once checked; `lines` and `leaves` are derived when asked for. */
class VerifiedTile implements MirroredTile {
  constructor(
    readonly first: number,
    readonly jsonl: Uint8Array,
    readonly hashes: Uint8Array,
  ) {}

  get lines(): string[] {
    const text = utf8.decode(this.jsonl);
    return text === '' ? [] : text.slice(0, -1).split('\n');
  }

  get leaves(): Uint8Array[] {
    return Array.from({ length: this.hashes.length / HASH_SIZE }, (_, i) =>
      this.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
    );
  }
}

/**
 * Decodes one level-0 tile and its entry bundle and checks their widths; returns the entries
 * from position `first` on as events.jsonl lines, and the tile's leaf hashes for them.
 */
function prepareTile(
  tile: Tile,
  hashBytes: Uint8Array,
  bundleBytes: Uint8Array,
  first: number,
): { jsonl: Uint8Array; leaves: Uint8Array; entries: Uint8Array[]; hashes: Uint8Array[] } {
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
  const skip = first - tile.index * TILE_WIDTH;
  let length = 0;
  for (let i = skip; i < entries.length; i++) length += entries[i].length + 1;
  const jsonl = new Uint8Array(length);
  let offset = 0;
  for (let i = skip; i < entries.length; i++) {
    jsonl.set(entries[i], offset);
    offset += entries[i].length;
    jsonl[offset++] = NEWLINE;
  }
  return { jsonl, leaves: hashBytes.slice(skip * HASH_SIZE), entries, hashes };
}

/** Checks the entries of one level-0 tile from position `first` on, on this thread. */
function checkTile(
  tile: Tile,
  hashBytes: Uint8Array,
  bundleBytes: Uint8Array,
  first: number,
): VerifiedTile {
  const path = formatTilePath(tile);
  const entriesPath = formatTilePath({ ...tile, kind: 'entries' });
  const { jsonl, leaves, entries, hashes } = prepareTile(tile, hashBytes, bundleBytes, first);
  const base = tile.index * TILE_WIDTH;
  for (let i = first - base; i < tile.width; i++) {
    const position = base + i;
    const where = `entry ${i} of ${entriesPath} (position ${position})`;
    const line = text(entries[i], where);
    let leaf: Uint8Array;
    try {
      leaf = eventLineLeafHash({ line, bytes: entries[i], position, lineNumber: position + 1 });
    } catch (error) {
      throw new MirrorError(`${where} is not an event of the log: ${(error as Error).message}`);
    }
    if (!bytesEqual(leaf, hashes[i])) {
      throw new MirrorError(
        `${where} hashes to ${toBase64(leaf)}, but ${path} has leaf hash ${toBase64(hashes[i])} there`,
      );
    }
  }
  return new VerifiedTile(first, jsonl, leaves);
}

function text(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new MirrorError(`${what} is not UTF-8`);
  }
}
