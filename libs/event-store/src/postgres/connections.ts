import pg from 'pg';
import { DatabaseUnavailableError } from '../event-store.errors.js';

/**
 * SQLSTATEs that mean the session or the server went away, not that the statement was
 * wrong: connection exceptions (class 08), the server shutting down or not yet accepting
 * connections (57P01-57P03, e.g. `pg_terminate_backend` or a restart), too many connections.
 */
const LOST_STATES = /^(08...|57P0[123]|53300)$/;
/** Socket-level failures node reports while connecting or talking to the server. */
const LOST_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when `error` says the database connection was lost or could not be made (or a read
 * gave up waiting for one): worth trying again on a new connection. False for errors a
 * statement gets on a healthy connection.
 */
export function isConnectionLoss(error: unknown): boolean {
  // Not `instanceof Error`: socket errors come from Node's own realm, which is not always the
  // caller's (a test runner's sandbox, a worker), and would be missed.
  if (typeof error !== 'object' || error === null) return false;
  // TypeORM's QueryFailedError carries the driver's error.
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError !== undefined && driverError !== error && isConnectionLoss(driverError)) {
    return true;
  }
  // A read that already waited out a lost connection, and gave up.
  if (error instanceof DatabaseUnavailableError) return true;
  if (error instanceof pg.DatabaseError) return LOST_STATES.test(error.code ?? '');
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && LOST_SOCKET.has(code)) return true;
  // node-postgres's own messages for a socket that closed or a client that is unusable.
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|not queryable|timeout exceeded when trying to connect|Client was closed/.test(
      message,
    )
  );
}

/** Delay before reconnection attempt `attempt` (0, 1, ...): 100 ms doubling up to `maxMs`, with jitter. */
export function backoffMs(attempt: number, maxMs = 2000): number {
  const base = Math.min(maxMs, 100 * 2 ** Math.min(attempt, 16));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** Resolves after `ms`, or at once when `signal` aborts. Never rejects. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The `onConnect` of every pg pool of the service: each new client keeps an 'error' listener
 * for its whole life. pg-pool listens only while a client is idle and the code that checks a
 * client out attaches its own once it holds it (TypeORM's query runners, `checkOut`), a
 * microtask after pg-pool hands it over; a termination notice parsed in between would be an
 * unhandled 'error' and end the process. The error is not lost: the statement in flight fails
 * with it, and pg-pool discards a client that is no longer queryable when it comes back.
 */
export function keepErrorListener(client: pg.ClientBase): void {
  client.on('error', () => undefined);
}

/** A pool client held for a while (see `checkOut`). */
export interface HeldConnection {
  readonly client: pg.PoolClient;
  /** The error that ended the connection while it was held, if one did. */
  readonly lost: Error | undefined;
  /** Returns it to the pool, which discards it when it was lost or `error` is a connection loss. */
  release(error?: unknown): void;
}

/**
 * Checks a client out of `pool` with an 'error' listener for as long as it is held. pg-pool
 * removes its own listener while a client is checked out, so without one a connection that
 * dies between two statements (a restart, `pg_terminate_backend`, an idle timeout) emits an
 * unhandled 'error' and ends the process. The statement in flight, if any, fails on its own.
 *
 * The listener goes on inside pg-pool's callback, before it returns: a client handed over as
 * another query releases it is handed over while that connection's socket data is still being
 * parsed, and a termination notice in the same read is emitted before any promise continuation
 * (an `await pool.connect()`) could attach one.
 */
export function checkOut(pool: pg.Pool): Promise<HeldConnection> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || client === undefined) {
        reject(error ?? new Error('the pool gave no connection'));
        return;
      }
      let lost: Error | undefined;
      const onError = (cause: Error) => (lost ??= cause);
      client.on('error', onError);
      resolve({
        client,
        get lost() {
          return lost;
        },
        release(cause?: unknown) {
          client.off('error', onError);
          const broken = lost ?? (isConnectionLoss(cause) ? (cause as Error) : undefined);
          client.release(broken);
        },
      });
    });
  });
}

export interface ListeningConnectionOptions {
  connectionString: string;
  applicationName: string;
  /** Channels to LISTEN on; names are SQL identifiers chosen by the code, never input. */
  channels: readonly string[];
  onNotification(message: pg.Notification): void;
  /**
   * Each time the connection is up and listening, the first time and after every reconnect:
   * whatever was notified while it was down was missed, so look it up now.
   */
  onListening?(): void;
  /** The connection was lost or could not be made; it is being retried. */
  onDown?(error: Error): void;
  /**
   * How often an idle connection is checked with `SELECT 1` (ms, default 10 000): a
   * connection a firewall or NAT dropped without a word would otherwise look alive forever.
   * One that does not answer within the same time is dropped and made again.
   */
  heartbeatMs?: number;
}

/**
 * A dedicated connection that LISTENs on some channels and stays listening: when it dies (a
 * restart, a failover, `pg_terminate_backend`, an idle timeout), it reconnects with backoff
 * until it is back or closed. Notifications sent while it is down are lost, which
 * `onListening` is there to make up for.
 */
export class ListeningConnection {
  private client: pg.Client | undefined;
  private running: Promise<void> | undefined;
  private readonly closing = new AbortController();
  private lostAt: number | undefined = Date.now();
  private wakeOnLoss: (() => void) | undefined;

  constructor(private readonly options: ListeningConnectionOptions) {}

  /** True while connected and listening. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Since when (ms since the epoch) it has not been listening; undefined while it is. */
  get downSince(): number | undefined {
    return this.lostAt;
  }

  /** Starts connecting in the background (once); it then keeps itself connected. */
  start(): void {
    this.running ??= this.run();
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.wakeOnLoss?.();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    const { signal } = this.closing;
    for (let attempt = 0; !signal.aborted;) {
      const lost = new Promise<Error>((resolve) => {
        this.wakeOnLoss = () => resolve(new Error('closed'));
        void this.connect(resolve).then(
          () => {
            attempt = 0;
            this.options.onListening?.();
          },
          (error: Error) => resolve(error),
        );
      });
      const error = await lost;
      this.client = undefined;
      this.lostAt ??= Date.now();
      if (signal.aborted) return;
      this.options.onDown?.(error);
      await pause(backoffMs(attempt++), signal);
    }
  }

  /** Connects and listens; `lost` is called once the connection dies afterwards. */
  private async connect(lost: (error: Error) => void): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName,
      keepAlive: true,
    });
    let heartbeat: NodeJS.Timeout | undefined = undefined;
    const onLost = (error: Error) => {
      clearInterval(heartbeat);
      lost(error);
    };
    client.on('error', (error) => onLost(error));
    client.on('end', () => onLost(new Error('Connection terminated')));
    client.on('notification', (message) => this.options.onNotification(message));
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closing.signal.aborted) {
      await client.end().catch(() => undefined);
      throw new Error('closed');
    }
    this.client = client;
    this.lostAt = undefined;
    const every = this.options.heartbeatMs ?? 10_000;
    heartbeat = setInterval(() => {
      let timer: NodeJS.Timeout | undefined;
      const silent = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer to a heartbeat in ${every} ms`)),
          every,
        );
      });
      Promise.race([client.query('SELECT 1'), silent])
        .catch((error: Error) => {
          onLost(error);
          void client.end().catch(() => undefined);
        })
        .finally(() => clearTimeout(timer));
    }, every);
    heartbeat.unref();
  }
}

/**
 * Runs `read`, and again with backoff for as long as it fails with a connection loss, for up
 * to `forMs` since the first failure; then throws what `unavailable` makes of the last error
 * and the time waited. Other errors are thrown at once; so is the last error once `signal`
 * aborts (the caller is going away).
 */
export async function retryWhileUnreachable<T>(
  read: () => Promise<T>,
  options: {
    forMs: number;
    signal?: AbortSignal;
    unavailable: (error: unknown, waitedMs: number) => Error;
  },
): Promise<T> {
  let since: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!isConnectionLoss(error) || options.signal?.aborted) throw error;
      since ??= Date.now();
      const waited = Date.now() - since;
      if (waited >= options.forMs) throw options.unavailable(error, waited);
      await pause(Math.min(backoffMs(attempt), options.forMs - waited), options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}
