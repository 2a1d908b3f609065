import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { keepErrorListener } from '#event-store';
import type { DataSource, QueryRunner, ReplicationMode } from 'typeorm';

/**
 * Reads on PostgreSQL streaming replicas (DATABASE_READ_URL).
 *
 * A replica is a physical copy of the primary: the log, the Merkle hashes, the read models
 * and their checkpoints all arrive together, in commit order, a little late. So a replica
 * answers as the primary did a moment ago, and its own checkpoints say how far its read
 * models hold the log (ReplicaReadPositions).
 *
 * Only the reads of a read-only request go to a replica: an HTTP request whose GraphQL
 * operations are all queries. Everything else (mutations and their decisions, the projection
 * runner, checkpoint signing, subscriptions, health, metrics, the command line) runs where it
 * always did, on the primary, because it runs outside such a request. A request keeps the
 * replica it first read from, so its answer comes from one database; when that replica
 * fails, or has not replayed a position the request asks for in time, the rest of the
 * request reads from the primary.
 *
 * The routing sits under the read models' DataSource and the event store's pool, so the
 * contexts' query code (TypeORM queries, repositories, query builders, the event store's
 * reads, proofs) is routed without knowing about replicas.
 */

/** What the running request may read from, shared by everything it starts. */
interface ReadScope {
  /** GraphQL queries seen in the request. */
  queries: number;
  /** Other operations (mutations, subscriptions) seen: then nothing goes to a replica. */
  others: number;
  /** The replica chosen for it; null once it reads from the primary for good. */
  replica?: ReadReplica | null;
}

const scope = new AsyncLocalStorage<ReadScope>();

/** Express middleware: each HTTP request gets a scope (primary until it shows it only reads). */
export function readScopeMiddleware(
  _request: IncomingMessage,
  _response: ServerResponse,
  next: () => void,
): void {
  scope.run({ queries: 0, others: 0 }, next);
}

/** Runs `work` as one request for the routing (tests; the middleware does it for HTTP). */
export function withReadScope<T>(work: () => T): T {
  return scope.run({ queries: 0, others: 0 }, work);
}

/**
 * Records an operation of the running request: its reads may go to a replica only while
 * every operation of it is a query.
 */
export function recordOperation(kind: 'query' | 'mutation' | 'subscription'): void {
  const current = scope.getStore();
  if (current === undefined) return;
  if (kind === 'query') current.queries++;
  else current.others++;
}

/**
 * The running request reads from the primary from now on: for work that writes (a checkpoint
 * signed for a proof), and must then read what it wrote, which a replica may not have yet.
 */
export function readFromPrimary(): void {
  const current = scope.getStore();
  if (current !== undefined) current.replica = null;
}

/** Whether `error` says the connection, not the statement, failed: the replica is down. */
export type ConnectionLossTest = (error: unknown) => boolean;

export interface ReadReplicaOptions {
  url: string;
  /** Opens the replica's TypeORM DataSource (the read models' entities, no migrations). */
  openDataSource: (url: string) => Promise<DataSource>;
  poolSize: number;
  /** How long a connection attempt may take before the replica counts as down (ms). */
  connectTimeoutMs: number;
}

/** One replica: its read models' DataSource and a pool for the log's tables. */
export class ReadReplica {
  /** Host, port and database, for logs (no user or password). */
  readonly label: string;
  readonly pool: pg.Pool;
  private dataSource: DataSource | undefined;
  private opening: Promise<void> | undefined;
  /** Not used before this time (ms since the epoch): it failed, or is not open yet. */
  private downUntil = 0;

  constructor(private readonly options: ReadReplicaOptions) {
    const url = new URL(options.url);
    this.label = `${url.host}${url.pathname}`;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      application_name: 'cuenta-read-replica',
      connectionTimeoutMillis: options.connectTimeoutMs,
      onConnect: keepErrorListener,
    });
    this.pool.on('error', () => undefined); // an idle client dropped; the pool replaces it
  }

  /** The DataSource, when open and not left aside after a failure. */
  usable(now: number): DataSource | undefined {
    if (now < this.downUntil) return undefined;
    if (this.dataSource === undefined) {
      this.open(now);
      return undefined;
    }
    return this.dataSource;
  }

  /** Its two pools, for metrics: the log's, and the read models' (once open). */
  pools(): { log: pg.Pool; readModels: pg.Pool | undefined } {
    // TypeORM's PostgreSQL driver keeps its pg pool as `master`.
    const driver = this.dataSource?.driver as unknown as { master?: pg.Pool } | undefined;
    return { log: this.pool, readModels: driver?.master };
  }

  /** Whether reads may go to it now: open, and not left aside after a failure. */
  up(now: number): boolean {
    return this.dataSource !== undefined && now >= this.downUntil;
  }

  /** Leaves the replica aside until `until`. */
  leaveAside(until: number): void {
    this.downUntil = Math.max(this.downUntil, until);
  }

  /** Opens the DataSource in the background; until it is open, reads go to the primary. */
  private open(now: number): void {
    if (this.opening) return;
    this.opening = this.options
      .openDataSource(this.options.url)
      .then((dataSource) => {
        this.dataSource = dataSource;
      })
      .catch(() => {
        this.leaveAside(now + 1000);
      })
      .finally(() => {
        this.opening = undefined;
      });
  }

  /** Resolves once the first attempt to open it has ended (either way). */
  async opened(): Promise<void> {
    this.usable(Date.now());
    await this.opening;
  }

  async close(): Promise<void> {
    await this.opening;
    await this.dataSource?.destroy().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

export interface ReadReplicasOptions {
  /** How long a replica that failed is left aside before it is tried again (ms). */
  downForMs: number;
  isConnectionLoss: ConnectionLossTest;
  log: (line: string) => void;
  now?: () => number;
}

/** The replicas, and the choice of one per read-only request. */
export class ReadReplicas {
  private turn = 0;
  private readonly now: () => number;

  constructor(
    readonly replicas: readonly ReadReplica[],
    private readonly options: ReadReplicasOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Starts opening every replica; resolves when each has succeeded or failed once. */
  async open(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.opened()));
  }

  /**
   * The replica the running request reads from: the one it read from before, else the next
   * usable one in turn; undefined outside a read-only request, when none is usable, or once
   * the request has turned to the primary.
   */
  current(): ReadReplica | undefined {
    const current = scope.getStore();
    if (current === undefined || current.queries === 0 || current.others > 0) return undefined;
    if (current.replica === null) return undefined;
    const now = this.now();
    if (current.replica !== undefined) {
      if (current.replica.usable(now)) return current.replica;
      current.replica = null;
      return undefined;
    }
    for (let tried = 0; tried < this.replicas.length; tried++) {
      const replica = this.replicas[this.turn++ % this.replicas.length];
      if (replica.usable(now)) {
        current.replica = replica;
        return replica;
      }
    }
    current.replica = null;
    return undefined;
  }

  /** The running request reads from the primary from now on. */
  usePrimary(): void {
    readFromPrimary();
  }

  /**
   * A read on `replica` failed: the request goes on on the primary, and a replica that
   * cannot be reached is left aside for `downForMs`.
   */
  failed(replica: ReadReplica, error: unknown): void {
    this.usePrimary();
    if (!this.options.isConnectionLoss(error)) return;
    replica.leaveAside(this.now() + this.options.downForMs);
    this.options.log(
      `read replica ${replica.label} unreachable (${(error as Error).message}); reading from ` +
        `the primary for ${Math.round(this.options.downForMs / 1000)} s`,
    );
  }

  /**
   * Runs `read` on the request's replica when it has one, else `primary`; when the replica's
   * read fails, runs `primary` instead (a statement that fails for itself fails there too).
   */
  async route<T>(
    read: (replica: ReadReplica) => Promise<T>,
    primary: () => Promise<T>,
  ): Promise<T> {
    const replica = this.current();
    if (replica === undefined) return primary();
    try {
      return await read(replica);
    } catch (error) {
      this.failed(replica, error);
      return primary();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.close()));
  }
}

/**
 * Routes the reads of `dataSource` (the read models' primary DataSource): a query runner
 * asked for inside a read-only request comes from its replica. Its statements fall back to
 * the primary when the replica fails, except inside a transaction, which cannot move.
 */
export function routeDataSourceReads(dataSource: DataSource, replicas: ReadReplicas): void {
  const own = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode: ReplicationMode = 'master'): QueryRunner => {
    const replica = replicas.current();
    const replicaSource = replica?.usable(Date.now());
    if (replica === undefined || replicaSource === undefined) return own(mode);
    const runner = replicaSource.createQueryRunner(mode);
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    runner.query = (async (...args: unknown[]) => {
      try {
        return await query(...args);
      } catch (error) {
        if (runner.isTransactionActive) throw error;
        replicas.failed(replica, error);
        const primary = own('master');
        try {
          return await (primary.query as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          await primary.release();
        }
      }
    }) as QueryRunner['query'];
    return runner;
  };
}

/**
 * Routes the promise-style `pool.query` calls of the event store's pool (its reads of the
 * log, and the transparency log's proofs) to the request's replica, falling back to the
 * primary when the replica fails. Connections checked out of the pool (appends, checkpoint
 * signing) stay on the primary.
 */
export function routePoolReads(pool: pg.Pool, replicas: ReadReplicas): void {
  const own = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    if (typeof args[args.length - 1] === 'function') return own(...args);
    return replicas.route(
      (replica) => (replica.pool.query as (...a: unknown[]) => Promise<unknown>)(...args),
      () => own(...args),
    );
  };
}
