import pg from 'pg';
import type { EventEnvelope } from '#ledger';
import {
  DatabaseUnavailableError,
  InvalidEventError,
  StoreClosedError,
  VersionConflictError,
} from '../event-store.errors.js';
import type {
  AppendResult,
  EventFilter,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { SingleFlight } from '#kernel';
import { prepareAppend } from '../prepare.js';
import { Upcasters } from '../upcasters.js';
import { checkOut, keepErrorListener, retryWhileUnreachable } from './connections.js';
import { runMigrations } from './migrations.js';
import { Notifier } from './notifier.js';
import { Sequencer } from './sequencer.js';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Connections for reads (the sequencer borrows one at a time for writes). */
  poolSize?: number;
  upcasters?: Upcasters;
  /** Apply pending migrations on `open` (default true). */
  migrate?: boolean;
  /** Server time for `recordedAt`; tests may pin it. */
  now?: () => Date;
  /** How long a subscriber waits for a notification before it looks anyway. */
  pollMs?: number;
  /**
   * How long a subscription keeps retrying its reads while the database is unreachable
   * before it ends with DatabaseUnavailableError (ms, default 60 000).
   */
  unavailableAfterMs?: number;
}

/** Default of `unavailableAfterMs`. */
export const DEFAULT_UNAVAILABLE_AFTER_MS = 60_000;

const MAX_READ = 10_000;
/**
 * How long a read waits out a lost connection before it fails with DatabaseUnavailableError:
 * long enough for the pool to replace connections a restart or `pg_terminate_backend` ended.
 */
const READ_RETRY_MS = 2000;

interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: EventEnvelope['data'];
  metadata: EventEnvelope['metadata'];
}

const COLUMNS =
  'global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata';

/**
 * The log's size (the next global position) as a scalar subquery, for statements that read
 * it together with other tables in one round trip.
 */
export const LOG_SIZE_SQL = 'SELECT size FROM events.log_head';

/** The event store on PostgreSQL: see `Sequencer` for how appends are ordered and grouped. */
/** One append as it ended: written, refused for the stream's version, or failed otherwise. */
export interface ObservedAppend {
  outcome: 'appended' | 'conflict' | 'failed';
  events: number;
  seconds: number;
}

export class PostgresEventStore implements EventStore {
  private readonly sequencer: Sequencer;
  private readonly notifier: Notifier;
  private readonly upcasters: Upcasters;
  private readonly subscriptions = new Set<PostgresSubscription>();
  /** Subscriptions' reads in flight, by what they read: one statement serves them all. */
  private readonly sharedReads = new SingleFlight<unknown>();
  private readonly appendObservers = new Set<(append: ObservedAppend) => void>();
  private closed = false;
  /** How long subscriptions ride out an unreachable database (see the option). */
  readonly unavailableAfterMs: number;
  /** The database, for connections of their own (LISTEN). */
  readonly connectionString: string;

  private constructor(
    readonly pool: pg.Pool,
    options: PostgresEventStoreOptions,
  ) {
    this.unavailableAfterMs = options.unavailableAfterMs ?? DEFAULT_UNAVAILABLE_AFTER_MS;
    this.connectionString = options.connectionString;
    this.upcasters = options.upcasters ?? new Upcasters();
    this.sequencer = new Sequencer(() => checkOut(pool), options.now);
    this.notifier = new Notifier(options.connectionString, options.pollMs);
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: 'cuenta-event-store',
      onConnect: keepErrorListener,
    });
    pool.on('error', () => undefined); // an idle client dropped; the pool replaces it
    try {
      if (options.migrate ?? true) await runMigrations(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresEventStore(pool, options);
  }

  async append(
    stream: string,
    events: NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    this.assertOpen();
    checkExpected(expected);
    const prepared = prepareAppend(stream, events);
    const started = performance.now();
    try {
      const result = await this.sequencer.append(stream, prepared, expected);
      this.observed({ outcome: 'appended', events: events.length, started });
      return result;
    } catch (error) {
      const outcome = error instanceof VersionConflictError ? 'conflict' : 'failed';
      this.observed({ outcome, events: events.length, started });
      throw error;
    }
  }

  /**
   * Calls `observer` after every append that reached the database (refused input is not
   * one), with how it ended, its events and its seconds. Returns the way to stop. An
   * observer must not throw.
   */
  observeAppends(observer: (append: ObservedAppend) => void): () => void {
    this.appendObservers.add(observer);
    return () => this.appendObservers.delete(observer);
  }

  private observed(args: { outcome: ObservedAppend['outcome']; events: number; started: number }) {
    const seconds = (performance.now() - args.started) / 1000;
    for (const observer of this.appendObservers) {
      observer({ outcome: args.outcome, events: args.events, seconds });
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const limit = checkLimit(options.limit);
    const from = options.fromVersion ?? (backwards ? 2 ** 31 - 1 : 1);
    if (!Number.isInteger(from) || from < 0) {
      throw new InvalidEventError('fromVersion', 'must be a non-negative integer');
    }
    const { rows } = await this.read<EventRow>(
      `SELECT ${COLUMNS} FROM events.events
        WHERE stream_id = $1 AND stream_version ${backwards ? '<=' : '>='} $2
        ORDER BY stream_version ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, from, limit],
    );
    return rows.map((row) => this.upcasters.apply(toEnvelope(row)));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = options.from ?? 0;
    if (!Number.isInteger(from) || from < 0) {
      throw new InvalidEventError('from', 'must be a non-negative integer position');
    }
    const limit = checkLimit(options.limit);
    const [where, params] = filterSql(options.filter, 3);
    const { rows } = await this.read<EventRow>(
      `SELECT ${COLUMNS} FROM events.events
        WHERE global_position >= $1 ${where}
        ORDER BY global_position LIMIT $2`,
      [from, limit, ...params],
    );
    const events = rows.map(toEnvelope);
    return options.raw ? events : events.map((event) => this.upcasters.apply(event));
  }

  /**
   * `read` for subscriptions, shared: a read asked for while the same one (same `key`) is in
   * flight gets its answer instead of a statement of its own. Subscriptions at one position
   * wake together on each notification and ask for the same page, so many live followers
   * (GraphQL subscribers) cost the database and this process one read per wake-up, not one
   * each. The events are then shared between subscribers, which only read them.
   */
  sharedRead<T>(key: string, read: () => Promise<T>): Promise<T> {
    return this.sharedReads.run(key, read) as Promise<T>;
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.assertOpen();
    if (!Number.isInteger(options.from) || options.from < 0) {
      throw new InvalidEventError('from', 'must be a non-negative integer position');
    }
    const subscription = new PostgresSubscription(this, this.notifier, options, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Subscriptions open now: live GraphQL feeds and the projection runner's own. */
  get openSubscriptions(): number {
    return this.subscriptions.size;
  }

  async head(): Promise<number> {
    this.assertOpen();
    const { rows } = await this.read<{ size: string }>(LOG_SIZE_SQL);
    return Number(rows[0].size);
  }

  /** Waits for queued appends, ends subscriptions, then closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (!this.sequencer.idle) await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.notifier.close();
    await this.pool.end();
  }

  /**
   * A read on the pool, tried again while its connection is lost (a read can always be
   * repeated) for up to READ_RETRY_MS; then DatabaseUnavailableError.
   */
  private read<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
    return retryWhileUnreachable(() => this.pool.query<R>(text, values), {
      forMs: READ_RETRY_MS,
      unavailable: (error) =>
        new DatabaseUnavailableError(
          'the database is unreachable; try again',
          {},
          { cause: error },
        ),
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

/**
 * Reads the log from its own position. A read that fails because the database is out of
 * reach is retried with backoff, from the same position, so the consumer sees a delay and
 * every event once; only an outage longer than the store's `unavailableAfterMs` ends it,
 * with a DatabaseUnavailableError that names the position to resume from.
 */
class PostgresSubscription implements Subscription {
  private next: number;
  private closed = false;
  private readonly closing = new AbortController();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly notifier: Notifier,
    private readonly options: SubscribeOptions,
    private readonly onClose: () => void,
  ) {
    this.next = options.from;
  }

  get position(): number {
    return this.next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    this.onClose();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    const batchSize = this.options.batchSize ?? 500;
    // Reads are shared with the subscriptions that ask the same after the same notification
    // (`generation`): a read started before a notification this one has seen is not joined,
    // so a commit it was woken for is never answered by a read that began before it.
    const read = async (generation: number) => {
      // With a filter, a short page holds every match below the head read before it
      // (positions below the head are all visible), so the cursor can move to that head
      // instead of scanning the same non-matching events again at every wake-up.
      const { filter, raw } = this.options;
      const head = filter
        ? await this.store.sharedRead(`head ${generation}`, () => this.store.head())
        : undefined;
      const from = this.next;
      const page = await this.store.sharedRead(
        JSON.stringify([generation, from, batchSize, filter ?? null, raw ?? false]),
        () => this.store.readAll({ from, limit: batchSize, filter, raw }),
      );
      return { head, page };
    };
    try {
      while (!this.closed) {
        const generation = this.notifier.current;
        const { head, page } = await retryWhileUnreachable(() => read(generation), {
          forMs: this.store.unavailableAfterMs,
          signal: this.closing.signal,
          unavailable: (error, waited) =>
            new DatabaseUnavailableError(
              `the database has been unreachable for ${Math.round(waited / 1000)} s; ` +
                `subscribe again from position ${this.next}`,
              { position: this.next },
              { cause: error },
            ),
        }).catch((error: unknown) => {
          if (this.closed) return { head: undefined, page: [] };
          throw error;
        });
        for (const event of page) {
          if (this.closed) return;
          this.next = event.position + 1;
          yield event;
        }
        if (head !== undefined && page.length < batchSize) this.next = Math.max(this.next, head);
        // A short page holds everything committed before the read began, and so everything
        // notified up to `generation`: the next read waits for a notification after it (at
        // once if one came meanwhile) rather than asking again for what is not there yet.
        if (page.length < batchSize) await this.notifier.after(generation);
      }
    } finally {
      await this.close();
    }
  }
}

function toEnvelope(row: EventRow): EventEnvelope {
  return {
    id: row.event_id,
    stream: row.stream_id,
    streamVersion: row.stream_version,
    position: Number(row.global_position),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
  };
}

function checkExpected(expected: ExpectedVersion): void {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (!Number.isInteger(expected) || expected < 0) {
    throw new InvalidEventError(
      'expectedVersion',
      'must be any, no_stream, stream_exists or a non-negative integer version',
    );
  }
}

function checkLimit(limit: number | undefined): number {
  const value = limit ?? 1000;
  if (!Number.isInteger(value) || value < 1 || value > MAX_READ) {
    throw new InvalidEventError('limit', `must be an integer from 1 to ${MAX_READ}`);
  }
  return value;
}

function filterSql(filter: EventFilter | undefined, firstParam: number): [string, unknown[]] {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  if (filter?.streams) clauses.push(`stream_id = ANY(${param(filter.streams)}::text[])`);
  if (filter?.streamPrefix !== undefined) {
    clauses.push(`starts_with(stream_id, ${param(filter.streamPrefix)})`);
  }
  if (filter?.types) clauses.push(`type = ANY(${param(filter.types)}::text[])`);
  return [clauses.map((c) => `AND ${c}`).join(' '), params];
}
