import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { PostgresEventStore } from '#event-store';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  bytesEqual,
  canonicalize,
  formatCheckpointRecord,
  formatVerifierKey,
  leafHashOfText,
  parseWitnessKey,
  toBase64,
  type BundleKeys,
  type BundleManifest,
} from '#ledger';
import {
  noteWithCosignatures,
  type PostgresLedger,
  type StoredCheckpoint,
} from '../log/postgres-ledger.js';
import { TransparencyError, UnusableFolderError } from '../support/errors.js';
import { count, messageOf } from '../support/text.js';

export interface ExportSummary {
  origin: string;
  events: number;
  checkpoints: number;
  cosignatures: number;
  /** The checkpoint the export is cut at. */
  last: StoredCheckpoint;
  /** Whether that checkpoint was signed by this export (events were not yet covered). */
  signedNow: boolean;
  /**
   * Where the database disagrees with the Merkle tree it stored when the events were
   * appended (the bundle will not verify): the first place, and how many.
   */
  mismatch?: { first: string; count: number };
}

/** Largest page the event store reads at once is 10,000; half keeps each query short. */
const DEFAULT_BATCH = 5000;
const CHECKPOINT_PAGE = 1000;

/**
 * Writes the export bundle (libs/ledger/src/bundle/layout.ts) of the log up to its latest
 * checkpoint, signing one first when events are not covered yet. Events are read in batches
 * and written with back-pressure, so memory stays flat however long the log is.
 *
 * The bundle is what the database holds, byte for byte canonical, with the leaf hash stored
 * for each event when it was appended (leaves.bin; zeros where the database has none). While
 * writing, each event is also compared with that leaf hash: a difference means the database
 * was changed behind the log's back, and is reported (the bundle is still written, as
 * evidence; `cuenta verify` will reject it, naming the event).
 */
export async function exportBundle(args: {
  store: PostgresEventStore;
  ledger: PostgresLedger;
  dir: string;
  batchSize?: number;
  now?: Date;
}): Promise<ExportSummary> {
  const { store, ledger, dir } = args;
  const created = await prepareFolder(dir);
  const written: string[] = [];
  try {
    const before = await ledger.latestCheckpoint();
    const last = await ledger.signCheckpoint();
    if (!last) throw new TransparencyError('the log is empty: there is nothing to export');

    let mismatches = 0;
    let first: string | undefined;
    const note = (problem: string) => {
      mismatches++;
      first ??= problem;
    };

    const eventsFile = path.join(dir, BUNDLE_FILES.events);
    const leavesFile = path.join(dir, BUNDLE_FILES.leaves);
    written.push(eventsFile, leavesFile);
    const events = await writeEvents({
      store,
      size: last.size,
      file: eventsFile,
      leavesFile,
      batchSize: args.batchSize ?? DEFAULT_BATCH,
      note,
    });

    const checkpointsFile = path.join(dir, BUNDLE_FILES.checkpoints);
    written.push(checkpointsFile);
    const { checkpoints, cosignatures } = await writeCheckpoints(
      ledger,
      last.size,
      checkpointsFile,
      note,
    );

    const keys: BundleKeys = {
      log: ledger.verifierKey,
      // In their cosignature/v1 form (type 0x04), however the server was configured.
      witnesses: (await ledger.acceptedWitnessKeys()).map((key) =>
        formatVerifierKey(parseWitnessKey(key)),
      ),
    };
    const keysFile = path.join(dir, BUNDLE_FILES.keys);
    written.push(keysFile);
    await writeFile(keysFile, `${JSON.stringify(keys, null, 2)}\n`, { flag: 'wx' });

    // Written last: a bundle with a manifest is complete.
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      origin: ledger.origin,
      events: events.written,
      checkpoints,
      exportedAt: (args.now ?? new Date()).toISOString(),
    };
    const manifestFile = path.join(dir, BUNDLE_FILES.manifest);
    written.push(manifestFile);
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });

    return {
      origin: ledger.origin,
      events: events.written,
      checkpoints,
      cosignatures,
      last,
      signedNow: before?.size !== last.size,
      mismatch: first === undefined ? undefined : { first, count: mismatches },
    };
  } catch (error) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    if (created) await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Creates `dir`, or accepts it empty. Returns whether it was created. */
async function prepareFolder(dir: string): Promise<boolean> {
  let exists = true;
  try {
    if (!(await stat(dir)).isDirectory())
      throw new UnusableFolderError(`${dir} exists and is not a folder`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    exists = false;
  }
  if (exists) {
    if ((await readdir(dir)).length > 0) {
      throw new UnusableFolderError(
        `${dir} is not empty; export writes into a new or empty folder`,
      );
    }
    return false;
  }
  await mkdir(dir, { recursive: true });
  return true;
}

/**
 * Writes every checkpoint up to `size` with its cosignatures, and compares each one's signed
 * root with the root of the tree stored in the event rows now (one O(log n) query each).
 */
async function writeCheckpoints(
  ledger: PostgresLedger,
  size: number,
  file: string,
  note: (problem: string) => void,
): Promise<{ checkpoints: number; cosignatures: number }> {
  const out = createWriteStream(file, { flags: 'wx' });
  const head = await ledger.size();
  let checkpoints = 0;
  let cosignatures = 0;
  try {
    for (let fromSize = 0; ;) {
      const page = await ledger.checkpoints({ fromSize, limit: CHECKPOINT_PAGE });
      const covered = page.filter((checkpoint) => checkpoint.size <= size);
      for (const checkpoint of covered) {
        const lines = await ledger.cosignatures(checkpoint.size);
        const signed = noteWithCosignatures(checkpoint, lines);
        await write(out, `${formatCheckpointRecord({ size: checkpoint.size, note: signed })}\n`);
        const stored = await storedRoot(ledger, checkpoint.size, head);
        if (typeof stored === 'string' || !bytesEqual(stored, checkpoint.rootHash)) {
          note(
            `the checkpoint of size ${checkpoint.size} signed root ${toBase64(checkpoint.rootHash)} ` +
              `but the tree stored now gives ${typeof stored === 'string' ? stored : toBase64(stored)}`,
          );
        }
        checkpoints++;
        cosignatures += lines.length;
      }
      if (page.length < CHECKPOINT_PAGE || covered.length < page.length) break;
      fromSize = page[page.length - 1].size + 1;
    }
  } finally {
    out.end();
    await finished(out);
  }
  return { checkpoints, cosignatures };
}

/** The root of the stored tree of `size` leaves, or why there is none. */
async function storedRoot(
  ledger: PostgresLedger,
  size: number,
  head: number,
): Promise<Uint8Array | string> {
  if (size > head) return `no root (the log has only ${count(head)} events)`;
  try {
    return await ledger.rootAt(size);
  } catch (error) {
    return `no root (${messageOf(error)})`;
  }
}

interface Batch {
  events: Awaited<ReturnType<PostgresEventStore['readAll']>>;
  leaves: Map<number, Buffer>;
}

/** Written for an event whose stored leaf hash is missing. */
const NO_LEAF = new Uint8Array(32);

async function writeEvents(args: {
  store: PostgresEventStore;
  size: number;
  file: string;
  leavesFile: string;
  batchSize: number;
  note: (problem: string) => void;
}): Promise<{ written: number }> {
  const { store, size, note } = args;
  const out = createWriteStream(args.file, { flags: 'wx', highWaterMark: 1 << 20 });
  const leavesOut = createWriteStream(args.leavesFile, { flags: 'wx' });
  const read = (from: number): Promise<Batch> | undefined =>
    from >= size ? undefined : readBatch(store, from, Math.min(args.batchSize, size - from));
  let expected = 0;
  let written = 0;
  try {
    let next = read(0);
    while (next) {
      const batch = await next;
      // Rows deleted behind the log's back would let a page run past the checkpoint.
      const events = batch.events.filter((event) => event.position < size);
      if (events.length === 0) break;
      // Read the next batch while this one is canonicalized, checked and written.
      next = read(events[events.length - 1].position + 1);
      let text = '';
      const leaves = Buffer.alloc(events.length * NO_LEAF.length);
      for (const [i, event] of events.entries()) {
        if (event.position !== expected) {
          note(
            `position ${expected} is missing: the next event in the database is at ${event.position} (id ${event.id})`,
          );
        }
        expected = event.position + 1;
        const line = canonicalize(event);
        const stored = batch.leaves.get(event.position);
        const computed = leafHashOfText(line);
        if (!stored || !bytesEqual(stored, computed)) {
          note(
            `the event at position ${event.position} (id ${event.id}) hashes to ${toBase64(computed)} ` +
              `but was appended with leaf hash ${stored ? toBase64(stored) : '(none)'}`,
          );
        }
        text += `${line}\n`;
        leaves.set(stored ?? NO_LEAF, i * NO_LEAF.length);
      }
      await Promise.all([write(out, text), write(leavesOut, leaves)]);
      written += events.length;
    }
  } finally {
    out.end();
    leavesOut.end();
    await Promise.all([finished(out), finished(leavesOut)]);
  }
  if (written < size) {
    note(
      `the database holds ${count(written)} events below position ${count(size)}, the size of its latest checkpoint`,
    );
  }
  return { written };
}

async function readBatch(store: PostgresEventStore, from: number, limit: number): Promise<Batch> {
  const [events, { rows }] = await Promise.all([
    store.readAll({ from, limit, raw: true }),
    store.pool.query<{ position: string; leaf: Buffer }>(
      `SELECT global_position AS position, substring(hashes from 1 for 32) AS leaf
         FROM events.events WHERE global_position >= $1 ORDER BY global_position LIMIT $2`,
      [from, limit],
    ),
  ]);
  return { events, leaves: new Map(rows.map((row) => [Number(row.position), row.leaf])) };
}

async function write(out: WriteStream, text: string | Uint8Array): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}
