import pg from 'pg';
import { EVENTS_CHANNEL } from './sequencer.js';

/**
 * One LISTEN connection per store, shared by all its subscriptions. A notification only
 * says "the log grew"; subscribers then read from their own position, so a lost or
 * coalesced notification costs latency, never events. While the connection is down, a
 * periodic wake-up keeps subscribers polling until it is back.
 */
export class Notifier {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly pollMs = 2000,
  ) {}

  /** Counts notifications (and reconnects); read it before a read, pass it to `after`. */
  private generation = 0;

  get current(): number {
    return this.generation;
  }

  /**
   * Resolves once something may have been committed since `generation` was read: at once if
   * a notification already came, else on the next one, after `pollMs` at the latest, or on
   * close. Reading the counter before an empty read and waiting after it cannot miss a commit.
   */
  async after(generation: number): Promise<void> {
    if (this.closed) return;
    await this.ensureListening();
    if (this.generation !== generation) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(wake, this.pollMs);
      const waiters = this.waiters;
      function wake() {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      }
      this.waiters.add(wake);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private wakeAll(): void {
    this.generation++;
    for (const wake of [...this.waiters]) wake();
  }

  private ensureListening(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', () => this.wakeAll());
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      // Anything committed while we were not listening is found by the readers' next read.
      this.wakeAll();
    } catch {
      await client.end().catch(() => undefined);
    }
  }

  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.wakeAll();
  }
}
