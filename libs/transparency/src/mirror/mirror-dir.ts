import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  CompactRange,
  followLog,
  formatCheckpointRecord,
  formatVerifierKey,
  fromBase64,
  LogForkError,
  toBase64,
  type BundleKeys,
  type BundleManifest,
  type EntryChecker,
  type FollowResult,
  type VerifierKey,
} from '#ledger';
import { TransparencyError, UnusableFolderError } from '../support/errors.js';
import { LeafHashPool } from '../verify/leaf-hash-pool.js';
import { HttpResources } from './http-resources.js';

/** The mirror's own record of what it holds, beside the bundle it keeps. */
export const MIRROR_STATE = 'mirror.json';
/** Where a fork's evidence is kept, one folder per detection. */
export const FORK_EVIDENCE = 'fork-evidence';

interface MirrorState {
  /** The server last read from (informational: the log is pinned by its key and origin). */
  server: string;
  origin: string;
  size: number;
  /** The border of the tree held (CompactRange.hashes), base64. */
  border: string[];
  /** Bytes of events.jsonl and checkpoints.jsonl that hold verified data. */
  eventsBytes: number;
  checkpointsBytes: number;
  note: string;
}

export interface MirrorSummary {
  origin: string;
  previousSize: number;
  size: number;
  root: Uint8Array;
  /** Tiles and entry bundles fetched this run (the checkpoint not counted). */
  tilesFetched: number;
}

/** Thrown when the log forked: names both checkpoints and where their evidence was kept. */
export class ForkDetected extends TransparencyError {
  override readonly name: string = 'ForkDetected';
}

/**
 * Brings the mirror in `dir` up to the log's latest checkpoint at `server`, verifying it
 * (libs/ledger followLog), and leaves `dir` a complete export bundle (`cuenta verify`).
 *
 * New events and leaf hashes are appended to events.jsonl and leaves.bin as their tiles
 * verify; only when the new checkpoint's root checks out are the checkpoint, mirror.json and
 * manifest.json written, each by rename. A run that fails, or is interrupted, is undone at the
 * start of the next one by cutting the files back to the lengths mirror.json records.
 */
export async function syncMirror(args: {
  server: string;
  dir: string;
  logKey: VerifierKey;
  now?: Date;
  /** Worker threads checking entries when there are many (default 0: all on this thread). */
  workers?: number;
}): Promise<MirrorSummary> {
  const state = await loadState(args.dir);
  try {
    return await sync({ ...args, state });
  } catch (error) {
    // A first run that failed leaves the folder as it found it: empty.
    if (!state)
      await Promise.all(
        [...Object.values(BUNDLE_FILES), MIRROR_STATE].flatMap((file) => [
          rm(path.join(args.dir, file), { force: true }),
          rm(path.join(args.dir, `${file}.tmp`), { force: true }),
        ]),
      );
    throw error;
  }
}

async function sync(args: {
  server: string;
  dir: string;
  logKey: VerifierKey;
  now?: Date;
  workers?: number;
  state: MirrorState | undefined;
}): Promise<MirrorSummary> {
  const { dir, logKey, state } = args;
  const base = new URL('log/', args.server.endsWith('/') ? args.server : `${args.server}/`);
  const files = {
    events: path.join(dir, BUNDLE_FILES.events),
    leaves: path.join(dir, BUNDLE_FILES.leaves),
    checkpoints: path.join(dir, BUNDLE_FILES.checkpoints),
  };
  const range = state
    ? CompactRange.fromHashes(state.size, state.border.map(borderHash))
    : CompactRange.empty();
  const eventsBytes = state?.eventsBytes ?? 0;
  const workers = checkingThreads(args.workers ?? 0);
  // followLog fetches 8 tiles ahead, a hash tile and an entry bundle each.
  const resources = new HttpResources(base, { connections: 16 });
  const events = await open(files.events, state ? 'r+' : 'w+');
  const leaves = await open(files.leaves, state ? 'r+' : 'w+');
  let result: FollowResult;
  try {
    // Undo whatever an earlier run appended without finishing.
    await events.truncate(eventsBytes);
    await leaves.truncate(range.size * 32);
    let eventsAt = eventsBytes;
    let leavesAt = range.size * 32;
    try {
      result = await followLog({
        held: { origin: state?.origin, range, note: state?.note },
        logKey,
        fetch: (resource) => resources.get(resource),
        checkEntries: workers.check,
        onTile: async (tile) => {
          const { jsonl, hashes } = tile;
          await Promise.all([
            events.write(jsonl, 0, jsonl.length, eventsAt),
            leaves.write(hashes, 0, hashes.length, leavesAt),
          ]);
          eventsAt += jsonl.length;
          leavesAt += hashes.length;
        },
      });
    } catch (error) {
      await events.truncate(eventsBytes);
      await leaves.truncate(range.size * 32);
      if (error instanceof LogForkError) {
        const kept = await keepEvidence(dir, error, args.now ?? new Date());
        throw new ForkDetected(`${error.message}; both checkpoints are kept in ${kept}`);
      }
      throw error;
    }
    await Promise.all([events.sync(), leaves.sync()]);
    const grew = result.range.size > range.size;
    let checkpointsBytes = state?.checkpointsBytes ?? 0;
    const checkpoints = await open(files.checkpoints, state ? 'r+' : 'w+');
    try {
      await checkpoints.truncate(checkpointsBytes);
      if (grew) {
        const line = Buffer.from(
          `${formatCheckpointRecord({ size: result.range.size, note: result.note })}\n`,
        );
        await checkpoints.write(line, 0, line.length, checkpointsBytes);
        checkpointsBytes += line.length;
        await checkpoints.sync();
      }
    } finally {
      await checkpoints.close();
    }
    const origin = result.checkpoint.checkpoint.origin;
    const next: MirrorState = {
      server: args.server,
      origin,
      size: result.range.size,
      border: result.range.hashes().map(toBase64),
      eventsBytes: eventsAt,
      checkpointsBytes,
      note: grew ? result.note : (state?.note ?? result.note),
    };
    await replace(path.join(dir, MIRROR_STATE), `${JSON.stringify(next, null, 2)}\n`);
    const keys: BundleKeys = { log: formatVerifierKey(logKey), witnesses: [] };
    await replace(path.join(dir, BUNDLE_FILES.keys), `${JSON.stringify(keys, null, 2)}\n`);
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      origin,
      events: result.range.size,
      checkpoints: await countLines(files.checkpoints),
      exportedAt: (args.now ?? new Date()).toISOString(),
    };
    await replace(path.join(dir, BUNDLE_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return {
      origin,
      previousSize: range.size,
      size: result.range.size,
      root: result.range.root(),
      tilesFetched: result.fetched.filter((resource) => resource !== 'checkpoint').length,
    };
  } finally {
    resources.close();
    await Promise.all([events.close(), leaves.close(), workers.close()]);
  }
}

/**
 * The entries' checks on `count` worker threads (none: on this thread), the threads started
 * only if followLog hands them a tile.
 */
function checkingThreads(count: number): { check?: EntryChecker; close(): Promise<void> } {
  if (count === 0) return { close: async () => undefined };
  let pool: LeafHashPool | undefined;
  return {
    check: async ({ jsonl, firstPosition, leaves }) => {
      pool ??= new LeafHashPool(count);
      const outcome = await pool.hash(jsonl, firstPosition, leaves);
      if ('fatal' in outcome) throw new TransparencyError(outcome.fatal);
      return outcome.error ? undefined : outcome.hashes;
    },
    close: async () => pool?.close(),
  };
}

/** The state of an existing mirror, or undefined for a new or empty folder (created). */
async function loadState(dir: string): Promise<MirrorState | undefined> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory())
      throw new UnusableFolderError(`${dir} exists and is not a folder`);
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    return undefined;
  }
  if (!entries.includes(MIRROR_STATE)) {
    if (entries.length > 0) {
      throw new UnusableFolderError(
        `${dir} is neither empty nor a mirror (it has no ${MIRROR_STATE}); mirror into a new or empty folder`,
      );
    }
    return undefined;
  }
  let state: MirrorState;
  try {
    state = JSON.parse(await readFile(path.join(dir, MIRROR_STATE), 'utf8')) as MirrorState;
    CompactRange.fromHashes(state.size, state.border.map(borderHash));
  } catch (error) {
    throw new TransparencyError(
      `${path.join(dir, MIRROR_STATE)} is damaged (${(error as Error).message}); start a new mirror in an empty folder`,
    );
  }
  return state;
}

/** Writes both checkpoints of a fork, and why, into a new folder; returns its path. */
async function keepEvidence(dir: string, fork: LogForkError, now: Date): Promise<string> {
  const folder = path.join(dir, FORK_EVIDENCE, now.toISOString().replace(/[:.]/g, '-'));
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'held-checkpoint.txt'), fork.held.note ?? '');
  await writeFile(path.join(folder, 'served-checkpoint.txt'), fork.served.note);
  await writeFile(path.join(folder, 'reason.txt'), `${fork.message}\n`);
  return folder;
}

function borderHash(text: string): Uint8Array {
  const hash = fromBase64(text);
  if (!hash) throw new Error(`"${text}" is not base64`);
  return hash;
}

/** Writes `file` whole or not at all. */
async function replace(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

async function countLines(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  return text === '' ? 0 : text.split('\n').length - 1;
}
