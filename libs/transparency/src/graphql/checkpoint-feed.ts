import {
  PostgresEventStore,
  ListeningConnection,
  retryWhileUnreachable,
  type EventStore,
} from '#event-store';
import { unreachableFor } from '#platform';
import {
  CHECKPOINTS_CHANNEL,
  type PostgresLedger,
  type StoredCheckpoint,
} from '../log/postgres-ledger.js';

interface Listener {
  /** Size of the last checkpoint this subscriber has (or had when it subscribed). */
  size: number;
  deliver(checkpoint: StoredCheckpoint): void;
  fail(error: Error): void;
}

/**
 * Checkpoints as they are signed (by this process or another): one LISTEN connection for
 * all subscribers, open while anyone listens. A notification only says "a checkpoint was
 * signed": each subscriber is sent every checkpoint larger than the last one it got, read
 * from the table, so one signed while the connection was down (it reconnects by itself) is
 * sent once it is back. A database out of reach for longer than the store's
 * `unavailableAfterMs` ends every subscription with DatabaseUnavailableError.
 */
export class CheckpointFeed {
  private readonly listeners = new Set<Listener>();
  private connection: ListeningConnection | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** A look at the table is running, and whether another must follow it. */
  private looking: Promise<void> | undefined;
  private lookAgain = false;

  constructor(
    private readonly store: EventStore,
    private readonly ledger: PostgresLedger,
  ) {}

  /** The next checkpoints signed; `close` ends the feed. */
  async open(): Promise<{
    source: AsyncIterator<StoredCheckpoint>;
    close: () => Promise<void>;
  }> {
    if (!(this.store instanceof PostgresEventStore)) {
      throw new Error('checkpoint notifications come from the PostgreSQL event store');
    }
    const forMs = this.store.unavailableAfterMs;
    const latest = await retryWhileUnreachable(() => this.ledger.latestCheckpoint(), {
      forMs,
      unavailable: (error, waited) => unreachableFor(waited, {}, error),
    });
    const queue: StoredCheckpoint[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    let failure: Error | undefined;
    const listener: Listener = {
      size: latest?.size ?? 0,
      deliver: (checkpoint) => {
        listener.size = checkpoint.size;
        queue.push(checkpoint);
        wake?.();
      },
      fail: (error) => {
        failure = error;
        wake?.();
      },
    };
    this.listeners.add(listener);
    this.listen(this.store.connectionString, forMs);
    const source: AsyncIterator<StoredCheckpoint> = {
      next: async () => {
        while (queue.length === 0 && !closed && !failure) {
          await new Promise<void>((resolve) => (wake = resolve));
        }
        const value = queue.shift();
        if (value !== undefined) return { done: false, value };
        if (failure && !closed) throw failure;
        return { done: true, value: undefined };
      },
    };
    return {
      source,
      close: async () => {
        closed = true;
        wake?.();
        await this.remove(listener);
      },
    };
  }

  private listen(connectionString: string, forMs: number): void {
    if (this.connection) return;
    this.connection = new ListeningConnection({
      connectionString,
      applicationName: 'cuenta-checkpoints-listen',
      channels: [CHECKPOINTS_CHANNEL],
      onNotification: () => this.look(),
      onListening: () => this.look(),
    });
    this.connection.start();
    // Ends the subscriptions once the connection has been down too long.
    this.watchdog = setInterval(
      () => {
        const since = this.connection?.downSince;
        if (since === undefined || Date.now() - since < forMs) return;
        for (const listener of [...this.listeners]) {
          listener.fail(unreachableFor(Date.now() - since, { size: listener.size }, undefined));
          void this.remove(listener);
        }
      },
      Math.min(1000, forMs),
    );
    this.watchdog.unref();
  }

  private async remove(listener: Listener): Promise<void> {
    if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  /** Sends each subscriber the checkpoints larger than its last; one look at a time. */
  private look(): void {
    if (this.looking) {
      this.lookAgain = true;
      return;
    }
    this.looking = (async () => {
      do {
        this.lookAgain = false;
        if (this.listeners.size === 0) return;
        const from = Math.min(...[...this.listeners].map((l) => l.size)) + 1;
        try {
          for (const checkpoint of await this.ledger.checkpoints({ fromSize: from })) {
            for (const listener of this.listeners) {
              if (checkpoint.size > listener.size) listener.deliver(checkpoint);
            }
          }
        } catch {
          // Out of reach: look again in a second (and when the connection is back).
          setTimeout(() => this.look(), 1000).unref();
          return;
        }
      } while (this.lookAgain);
    })().finally(() => (this.looking = undefined));
  }
}
