import type pg from 'pg';
import type { EventFilter, EventStore, RecordedEvent } from '../event-store.port.js';
import {
  CHECKPOINTS_CHANNEL,
  type PostgresLedger,
  type StoredCheckpoint,
} from '../ledger/postgres-ledger.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';

/**
 * An async iterator over `source`, mapped, that ends after `limit` items and whose
 * `return()` (the client unsubscribed) closes the source at once.
 */
export function liveIterator<S, T>(options: {
  source: AsyncIterator<S>;
  map: (item: S) => Promise<T> | T;
  close: () => Promise<void> | void;
  limit?: number;
}): AsyncIterableIterator<T> {
  let left = options.limit ?? Infinity;
  let done = false;
  const finish = async (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      await options.close();
    }
    return { done: true, value: undefined };
  };
  return {
    async next() {
      if (done || left <= 0) return finish();
      const item = await options.source.next();
      if (done || item.done) return finish();
      left -= 1;
      return { done: false, value: await options.map(item.value) };
    },
    return: finish,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * New events of the log, from `from` (default: the head, i.e. only new ones); with `raw`, as
 * stored (not upcast: what the ledger hashed).
 */
export async function eventFeed(
  store: EventStore,
  filter: EventFilter,
  from: number | undefined,
  options: { raw?: boolean } = {},
): Promise<{ source: AsyncIterator<RecordedEvent>; close: () => Promise<void> }> {
  const subscription = store.subscribe({
    from: from ?? (await store.head()),
    filter,
    raw: options.raw,
  });
  return { source: subscription[Symbol.asyncIterator](), close: () => subscription.close() };
}

type Listener = (checkpoint: StoredCheckpoint) => void;

/**
 * Checkpoints as they are signed (by this process or another): one LISTEN connection for
 * all subscribers, taken from the store's pool while anyone listens.
 */
export class CheckpointFeed {
  private readonly listeners = new Set<Listener>();
  private client: Promise<pg.PoolClient> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly ledger: PostgresLedger,
  ) {}

  /** The next checkpoints signed; `close` ends the feed. */
  async open(): Promise<{ source: AsyncIterator<StoredCheckpoint>; close: () => Promise<void> }> {
    const queue: StoredCheckpoint[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const listener: Listener = (checkpoint) => {
      queue.push(checkpoint);
      wake?.();
    };
    this.listeners.add(listener);
    await this.listen();
    const source: AsyncIterator<StoredCheckpoint> = {
      next: async () => {
        while (queue.length === 0 && !closed) {
          await new Promise<void>((resolve) => (wake = resolve));
        }
        const value = queue.shift();
        return value === undefined ? { done: true, value: undefined } : { done: false, value };
      },
    };
    return {
      source,
      close: async () => {
        closed = true;
        wake?.();
        this.listeners.delete(listener);
        if (this.listeners.size === 0) await this.unlisten();
      },
    };
  }

  private listen(): Promise<pg.PoolClient> {
    if (!(this.store instanceof PostgresEventStore)) {
      throw new Error('checkpoint notifications come from the PostgreSQL event store');
    }
    const pool = this.store.pool;
    this.client ??= (async () => {
      const client = await pool.connect();
      client.on('notification', (message) => {
        if (message.channel !== CHECKPOINTS_CHANNEL) return;
        void this.ledger.checkpointAt(Number(message.payload)).then((checkpoint) => {
          if (checkpoint) for (const listener of this.listeners) listener(checkpoint);
        });
      });
      await client.query(`LISTEN ${CHECKPOINTS_CHANNEL}`);
      return client;
    })();
    return this.client;
  }

  private async unlisten(): Promise<void> {
    const pending = this.client;
    this.client = undefined;
    const client = await pending?.catch(() => undefined);
    if (!client) return;
    await client.query(`UNLISTEN ${CHECKPOINTS_CHANNEL}`).catch(() => undefined);
    client.release();
  }
}
