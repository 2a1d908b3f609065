import pg from 'pg';
import { CompactRange, leafHashOfText } from '#ledger';
import {
  DatabaseUnavailableError,
  DuplicateEventIdError,
  EventStoreError,
  VersionConflictError,
} from '../event-store.errors.js';
import type { AppendResult, ExpectedVersion } from '../event-store.port.js';
import { canonicalTexts, type PreparedEvent } from '../prepare.js';
import { backoffMs, isConnectionLoss, pause, type HeldConnection } from './connections.js';
import { readStoredHashes } from './stored-hashes.js';

/** One caller's append, waiting for a batch. */
interface Pending {
  stream: string;
  events: PreparedEvent[];
  expected: ExpectedVersion;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
  /** Batches it was in that lost their connection. */
  interrupted: number;
}

interface StoredId {
  event_id: string;
  stream_id: string;
  stream_version: number;
  global_position: string;
}

interface LogState {
  size: number;
  versions: Map<string, number>;
  /** Stored copies of the batch's event ids; undefined when not read (the cached path). */
  stored: Map<string, StoredId> | undefined;
}

type Plan = ReturnType<Sequencer['plan']>;

/** A batch decided from what this process knows, or one left for the full path. */
type Planned =
  | { batch: Pending[]; fast: false }
  | { batch: Pending[]; fast: true; size: number; versions: Map<string, number>; plan: Plan };

/** What this process knows of the log as of `range.size`: exact while no one else appends. */
interface Known {
  range: CompactRange;
  /** Latest version of recently written streams, oldest first (an LRU by insertion order). */
  versions: Map<string, number>;
}

export const EVENTS_CHANNEL = 'cuenta_events';

/** Upper bound on events per transaction: big enough to amortise a commit, small enough to stream. */
const MAX_BATCH_EVENTS = 2000;
/** Another process moving the head between our read and our commit is retried this often. */
const MAX_HEAD_RACES = 50;
/** Streams whose version is remembered between batches. */
const KNOWN_STREAMS = 100_000;
/** An append whose connection is lost is tried again on a new one this many times. */
const RETRIES_ON_LOST_CONNECTION = 2;

/**
 * The write side of the PostgreSQL event store: a group-commit sequencer.
 *
 * Appends queue up while a batch is committing and then go together in the next one, so
 * many concurrent appends share one transaction and one WAL flush. Each batch:
 *
 * 1. reads, in one snapshot, the log size, the current version of each stream it touches
 *    and any of its event ids already stored;
 * 2. decides in memory which appends succeed (idempotent retries, version conflicts),
 *    assigns dense positions from the size, and computes every leaf hash and every
 *    Merkle subtree the new leaves complete;
 * 3. commits with one statement that moves `log_head` from the size read in (1) to the new
 *    size and inserts the events. If another process moved the head in between, the update
 *    matches nothing, nothing is inserted, and the batch starts over.
 *
 * Because every commit must move the single head row, commits are serialized by its row
 * lock and happen in position order: a reader never sees position p before p - 1.
 *
 * While this process is the only writer, step 1 is skipped for streams it wrote recently:
 * what it knows is exact as long as the head is where it left it, and the commit's
 * `WHERE size = ...` proves exactly that. An append the cached path cannot settle (a version
 * that does not match, an event id that is already stored) is decided by the full path.
 *
 * A batch whose connection is lost (a restart, a failover, `pg_terminate_backend`) may or may
 * not have committed. Its appends are tried again, twice at most and after a short backoff
 * (other connections often die with it), on a new connection and by the full
 * path, which finds their event ids if they were stored and answers as for any retry; an
 * append that fails again is rejected with `DatabaseUnavailableError`, and the caller's own
 * retry with the same event ids is as safe.
 */
export class Sequencer {
  private queue: Pending[] = [];
  private draining = false;
  private known: Known | undefined;

  constructor(
    private readonly client: () => Promise<HeldConnection>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  append(
    stream: string,
    events: PreparedEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ stream, events, expected, resolve, reject, interrupted: 0 });
      if (!this.draining) void this.drain();
    });
  }

  /** True while no batch is queued or committing. */
  get idle(): boolean {
    return !this.draining && this.queue.length === 0;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      let losses = 0;
      while (this.queue.length > 0) {
        if (losses > 0) await pause(backoffMs(losses - 1));
        const held = await this.client().catch((error: unknown) => {
          for (const pending of this.queue.splice(0)) pending.reject(unavailable(error));
          return undefined;
        });
        if (!held) continue;
        let broken: unknown;
        try {
          await this.drainOn(held.client);
          losses = 0;
        } catch (error) {
          losses = isConnectionLoss(error) ? losses + 1 : 0;
          broken = error;
          // What it knew may not have been committed: decide the next batch by the full path.
          this.known = undefined;
        } finally {
          held.release(broken !== undefined && unusable(broken) ? broken : undefined);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Commits batches one after another on one connection. While a batch commits, the next
   * one is planned (canonical JSON, hashes) against the state the first will leave, so the
   * CPU work overlaps the database's; that plan is used only if the first commit went
   * through as planned, else its appends go back to the queue.
   */
  private async drainOn(connection: pg.PoolClient): Promise<void> {
    let ahead: Planned | undefined;
    while (ahead || this.queue.length > 0) {
      const current = ahead ?? this.planFromKnown(this.takeBatch(), this.known);
      ahead = undefined;
      if (!current.fast || current.plan.rows.length === 0) {
        await this.settleBatch(connection, current.batch);
        continue;
      }
      const committing = this.commit(connection, current.size, current.plan.rows).then(
        (committed) => ({ committed, error: undefined }),
        (error: unknown) => ({ committed: false, error }),
      );
      if (this.queue.length > 0 && current.plan.retry.length === 0) {
        const predicted = {
          range: current.plan.range,
          versions: this.known?.versions ?? new Map(),
        };
        const next = this.planFromKnown(this.takeBatch(), predicted, current.plan.versions);
        if (next.fast) ahead = next;
        else this.queue.unshift(...next.batch);
      }
      const { committed, error } = await committing;
      if (committed) {
        this.remember(current.size, current.plan.range, current.plan.versions);
        current.plan.settle();
        if (current.plan.retry.length > 0) await this.settleBatch(connection, current.plan.retry);
        continue;
      }
      // Not as planned: someone else appended, an id was already stored, or the statement
      // failed. Nothing was written (unless the connection was lost, which `interrupt`
      // leaves to the full path to find out); decide everything again on the full path.
      this.known = undefined;
      if (ahead) {
        this.queue.unshift(...ahead.batch);
        ahead = undefined;
      }
      if (error !== undefined && !isStoredEventId(error) && unusable(error)) {
        this.interrupt(current.batch, error);
        throw error;
      }
      await this.settleBatch(connection, current.batch);
    }
  }

  /** Decides and commits a batch on the full path; a failing batch is split so only the culprit fails. */
  private async settleBatch(connection: pg.PoolClient, batch: Pending[]): Promise<void> {
    try {
      await this.commitBatch(connection, batch);
    } catch (error) {
      if (unusable(error)) {
        this.interrupt(batch, error);
        throw error;
      }
      await this.isolate(connection, batch);
    }
  }

  /**
   * The connection failed under `batch`: an append lost with its connection goes back to the
   * front of the queue for another try (it may have committed: the full path finds out),
   * unless it has had its tries; any other failure fails it.
   */
  private interrupt(batch: Pending[], error: unknown): void {
    const again: Pending[] = [];
    for (const pending of batch) {
      if (isConnectionLoss(error) && pending.interrupted < RETRIES_ON_LOST_CONNECTION) {
        pending.interrupted++;
        again.push(pending);
      } else {
        pending.reject(unavailable(error));
      }
    }
    this.queue.unshift(...again);
  }

  /**
   * Plans a batch from what this process knows (no database read), or marks it for the full
   * path when that knowledge does not cover every stream. `overrides` are versions a batch
   * still committing will leave.
   */
  private planFromKnown(
    batch: Pending[],
    known: Known | undefined,
    overrides?: Map<string, number>,
  ): Planned {
    const versions = new Map<string, number>();
    for (const pending of batch) {
      const version = overrides?.get(pending.stream) ?? known?.versions.get(pending.stream);
      if (version === undefined || !known) return { batch, fast: false };
      versions.set(pending.stream, version);
    }
    if (!known) return { batch, fast: false };
    const size = known.range.size;
    const plan = this.plan(batch, { size, versions, stored: undefined }, known.range);
    return { batch, fast: true, size, versions, plan };
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let events = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (batch.length > 0 && events + next.events.length > MAX_BATCH_EVENTS) break;
      batch.push(next);
      events += next.events.length;
      this.queue.shift();
    }
    return batch;
  }

  /** A batch failed as a whole: run its appends one by one so only the culprit fails. */
  private async isolate(connection: pg.PoolClient, batch: Pending[]): Promise<void> {
    this.known = undefined;
    for (const [i, pending] of batch.entries()) {
      try {
        await this.commitBatch(connection, [pending]);
      } catch (error) {
        this.known = undefined;
        if (unusable(error)) {
          this.interrupt(batch.slice(i), error);
          throw error;
        }
        pending.reject(error);
      }
    }
  }

  /**
   * The full path: reads the log's state (versions and stored ids of the batch), then plans
   * and commits. `drainOn` sends here only what the cached path could not settle.
   */
  private async commitBatch(connection: pg.PoolClient, batch: Pending[]): Promise<void> {
    let remaining = batch;
    let races = 0;
    while (remaining.length > 0) {
      const state = await this.readState(connection, remaining);
      const range = await this.rangeAt(connection, state.size);
      const plan = this.plan(remaining, state, range);
      if (plan.rows.length > 0) {
        if (!(await this.commit(connection, state.size, plan.rows))) {
          this.known = undefined;
          if (++races >= MAX_HEAD_RACES) {
            throw new Error(`the log head kept moving under ${MAX_HEAD_RACES} attempts; try again`);
          }
          continue;
        }
        this.remember(state.size, plan.range, new Map([...state.versions, ...plan.versions]));
      }
      plan.settle();
      remaining = plan.retry;
    }
  }

  /**
   * After a commit from `sizeBefore`: what was known at `sizeBefore` still holds, plus the
   * versions this commit read or wrote. What was known of an older size is dropped, since
   * another process has appended since.
   */
  private remember(sizeBefore: number, range: CompactRange, versions: Map<string, number>): void {
    const still =
      this.known?.range.size === sizeBefore ? this.known.versions : new Map<string, number>();
    for (const [stream, version] of versions) {
      still.delete(stream);
      still.set(stream, version);
    }
    for (const stream of still.keys()) {
      if (still.size <= KNOWN_STREAMS) break;
      still.delete(stream);
    }
    this.known = { range, versions: still };
  }

  private async readState(connection: pg.PoolClient, batch: Pending[]): Promise<LogState> {
    const streams = [...new Set(batch.map((pending) => pending.stream))];
    const ids = batch.flatMap((pending) => pending.events.map((event) => event.id));
    const { rows } = await connection.query<{
      size: string;
      versions: { stream_id: string; version: number }[] | null;
      stored: StoredId[] | null;
    }>(
      `SELECT (SELECT size FROM events.log_head) AS size,
              (SELECT json_agg(v) FROM (
                 -- One backward index probe per stream: max() with GROUP BY would read
                 -- every event of the stream.
                 SELECT s.stream_id, last.version FROM unnest($1::text[]) AS s(stream_id)
                  CROSS JOIN LATERAL (
                    SELECT stream_version AS version FROM events.events e
                     WHERE e.stream_id = s.stream_id ORDER BY stream_version DESC LIMIT 1) last) v) AS versions,
              (SELECT json_agg(s) FROM (
                 SELECT event_id, stream_id, stream_version, global_position FROM events.events
                  WHERE event_id = ANY($2::uuid[])) s) AS stored`,
      [streams, ids],
    );
    const row = rows[0];
    return {
      size: Number(row.size),
      versions: new Map((row.versions ?? []).map((v) => [v.stream_id, v.version])),
      stored: new Map((row.stored ?? []).map((s) => [s.event_id, s])),
    };
  }

  /** The tree's right border at `size`: from memory when we wrote last, else from O(log n) rows. */
  private async rangeAt(connection: pg.PoolClient, size: number): Promise<CompactRange> {
    if (this.known && this.known.range.size === size) return this.known.range;
    const nodes = CompactRange.nodesFor(size);
    const hashes = await readStoredHashes(connection, nodes);
    return CompactRange.fromHashes(size, hashes);
  }

  private plan(batch: Pending[], state: LogState, start: CompactRange) {
    const range = start.clone();
    const recordedAt = this.now().toISOString();
    /** Versions this batch moves streams to. */
    const versions = new Map<string, number>();
    const inBatch = new Set<string>();
    const rows: EventRow[] = [];
    const outcomes: Array<() => void> = [];
    const retry: Pending[] = [];
    let position = state.size;

    for (const pending of batch) {
      const ids = pending.events.map((event) => event.id);
      if (ids.some((id) => inBatch.has(id))) {
        // The same ids twice in one batch: the second is a retry of the first; let it see
        // the first's result from the database in the next batch.
        retry.push(pending);
        continue;
      }
      const current = versions.get(pending.stream) ?? state.versions.get(pending.stream) ?? 0;
      const outcome = state.stored && idempotentOutcome(pending, state.stored, current);
      if (outcome) {
        outcomes.push(outcome);
        continue;
      }
      if (!versionMatches(pending.expected, current)) {
        if (!state.stored) {
          // Perhaps a retry of an append already stored: only the full path can tell.
          retry.push(pending);
          continue;
        }
        const error = new VersionConflictError(pending.stream, pending.expected, current);
        outcomes.push(() => pending.reject(error));
        continue;
      }
      const positions: number[] = [];
      pending.events.forEach((event, i) => {
        const streamVersion = current + i + 1;
        const texts = canonicalTexts(event, {
          stream: pending.stream,
          streamVersion,
          position,
          recordedAt,
        });
        const hashes = range.append(leafHashOfText(texts.leaf));
        rows.push({
          position,
          id: event.id,
          stream: pending.stream,
          streamVersion,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.canonicalData,
          metadata: texts.metadata,
          hashes: Buffer.concat(hashes),
        });
        positions.push(position);
        inBatch.add(event.id);
        position++;
      });
      const nextVersion = current + pending.events.length;
      versions.set(pending.stream, nextVersion);
      outcomes.push(() =>
        pending.resolve({ stream: pending.stream, nextVersion, positions, replayed: false }),
      );
    }

    return {
      rows,
      range,
      versions,
      /** Appends to decide again, by the full path. */
      retry,
      settle: () => {
        for (const outcome of outcomes) outcome();
      },
    };
  }

  private async commit(
    connection: pg.PoolClient,
    size: number,
    rows: EventRow[],
  ): Promise<boolean> {
    const next = size + rows.length;
    // `data` and `metadata` go as one JSON array each, joined from their canonical texts: as
    // jsonb[] parameters pg would escape every quote of every event into an array literal,
    // which cost more of the append than hashing it. PostgreSQL parses each array once, as
    // jsonb, and hands out its elements without parsing them again. jsonb holds at most 256
    // MiB: a batch of several appends has at most MAX_BATCH_EVENTS events of at most
    // MAX_ENTRY_BYTES (125 MiB in all); a single append of more events goes alone, and one
    // whose data passes that size is refused by PostgreSQL and fails alone (`isolate`).
    const { rows: result } = await connection.query<{ moved: string }>({
      // Named, so each connection parses and plans it once.
      name: 'cuenta-append-batch',
      text: `WITH head AS (
         UPDATE events.log_head SET size = $2 WHERE size = $1 RETURNING size
       ), inserted AS (
         INSERT INTO events.events
           (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hashes)
         SELECT * FROM unnest($3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::int[],
                              ARRAY(SELECT d FROM jsonb_array_elements($9::jsonb)
                                      WITH ORDINALITY AS x(d, n) ORDER BY n),
                              ARRAY(SELECT m FROM jsonb_array_elements($10::jsonb)
                                      WITH ORDINALITY AS x(m, n) ORDER BY n),
                              $11::bytea[])
          WHERE EXISTS (SELECT 1 FROM head)
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM head) AS moved,
              (SELECT count(*) FROM inserted) AS inserted,
              (SELECT pg_notify('${EVENTS_CHANNEL}', $2::text) FROM head) AS notified`,
      values: [
        size,
        next,
        rows.map((r) => r.position),
        rows.map((r) => r.id),
        rows.map((r) => r.stream),
        rows.map((r) => r.streamVersion),
        rows.map((r) => r.type),
        rows.map((r) => r.schemaVersion),
        `[${rows.map((r) => r.data).join(',')}]`,
        `[${rows.map((r) => r.metadata).join(',')}]`,
        rows.map((r) => r.hashes),
      ],
    });
    return Number(result[0].moved) === 1;
  }
}

/** An event as the batch inserts it: its JSON members are their RFC 8785 texts. */
interface EventRow {
  position: number;
  id: string;
  stream: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  hashes: Buffer;
}

function versionMatches(expected: ExpectedVersion, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 0;
    case 'stream_exists':
      return current > 0;
    default:
      return current === expected;
  }
}

/**
 * An append whose ids are already stored is a retry: when they sit in this stream, in this
 * order, at consecutive versions (starting right after the expected version, when one was
 * given), it succeeds again with the original result, marked `replayed`, and writes nothing. Any other placement
 * is an error: an event id names exactly one event.
 */
function idempotentOutcome(
  pending: Pending,
  stored: Map<string, StoredId>,
  current: number,
): (() => void) | undefined {
  const found = pending.events.map((event) => stored.get(event.id));
  if (found.every((f) => f === undefined)) return undefined;
  const first = found[0];
  const firstVersion = first?.stream_version ?? -1;
  const expectedFirst = typeof pending.expected === 'number' ? pending.expected + 1 : firstVersion;
  const placedAsAsked = found.every(
    (f, i) =>
      f !== undefined &&
      f.stream_id === pending.stream &&
      f.stream_version === firstVersion + i &&
      firstVersion === expectedFirst &&
      (pending.expected !== 'no_stream' || firstVersion === 1),
  );
  if (placedAsAsked && first) {
    const positions = found.map((f) => Number(f?.global_position));
    const nextVersion = firstVersion + found.length - 1;
    return () =>
      pending.resolve({ stream: pending.stream, nextVersion, positions, replayed: true });
  }
  const offending = found.find((f): f is StoredId => f !== undefined);
  const error = offending
    ? new DuplicateEventIdError(offending.event_id, {
        stream: offending.stream_id,
        streamVersion: offending.stream_version,
        position: Number(offending.global_position),
      })
    : new VersionConflictError(pending.stream, pending.expected, current);
  return () => pending.reject(error);
}

/** The insert met an event id that is already stored. */
function isStoredEventId(error: unknown): boolean {
  return (
    error instanceof pg.DatabaseError &&
    error.code === '23505' &&
    error.constraint === 'events_event_id_key'
  );
}

/**
 * An error a statement got on a healthy connection (a constraint, a version conflict) leaves
 * it usable; a lost connection, or anything unexpected, does not.
 */
function unusable(error: unknown): boolean {
  return (
    isConnectionLoss(error) ||
    !(error instanceof EventStoreError || error instanceof pg.DatabaseError)
  );
}

/** What an append's caller is told when its connection was lost. */
function unavailable(error: unknown): unknown {
  if (!isConnectionLoss(error)) return error;
  return new DatabaseUnavailableError(
    'the database connection was lost while appending; the append may have been stored: ' +
      'retry it with the same event ids (for a command, the same commandId)',
    {},
    { cause: error },
  );
}
