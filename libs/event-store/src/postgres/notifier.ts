import { ListeningConnection } from './connections.js';
import { EVENTS_CHANNEL } from './sequencer.js';

/**
 * One LISTEN connection per store, shared by all its subscriptions. A notification only
 * says "the log grew"; subscribers then read from their own position, so a lost or
 * coalesced notification costs latency, never events. While the connection is down (it
 * reconnects by itself), a periodic wake-up keeps subscribers polling until it is back.
 */
export class Notifier {
  private readonly connection: ListeningConnection;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(
    connectionString: string,
    private readonly pollMs = 2000,
  ) {
    this.connection = new ListeningConnection({
      connectionString,
      applicationName: 'cuenta-event-store-listen',
      channels: [EVENTS_CHANNEL],
      onNotification: () => this.wakeAll(),
      // Anything committed while we were not listening is found by the readers' next read.
      onListening: () => this.wakeAll(),
      onDown: () => this.wakeAll(),
    });
  }

  /** Counts notifications (and reconnects); read it before a read, pass it to `after`. */
  private generation = 0;

  get current(): number {
    return this.generation;
  }

  /**
   * Resolves once something may have been committed since `generation` was read: at once if
   * a notification already came, else on the next one, after `pollMs` at the latest, or on
   * close. Reading the counter before an empty read and waiting after it cannot miss a commit:
   * a commit before the connection listens is covered by the wake-up it gives once it does.
   */
  async after(generation: number): Promise<void> {
    if (this.closed) return;
    this.connection.start();
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
    await this.connection.close();
  }

  private wakeAll(): void {
    this.generation++;
    for (const wake of [...this.waiters]) wake();
  }
}
