import {
  DatabaseUnavailableError,
  DEFAULT_UNAVAILABLE_AFTER_MS,
  PostgresEventStore,
  retryWhileUnreachable,
  type EventFilter,
  type EventStore,
  type RecordedEvent,
} from '#event-store';

/** How a feed rides out an unreachable database (see `liveIterator`). */
export interface FeedRetry<S> {
  /** How long to keep trying before the subscription ends with DATABASE_UNAVAILABLE. */
  unavailableAfterMs: number;
  /** Where a client resumes when `item` could not be delivered. */
  resumeAt(item: S): { position?: number; size?: number };
}

/**
 * An async iterator over `source`, mapped, that ends after `limit` items and whose
 * `return()` (the client unsubscribed) closes the source at once. With `retry`, a `map` that
 * fails because the database is out of reach is tried again, for the same item, until
 * `retry.unavailableAfterMs`; the subscription then ends with DatabaseUnavailableError.
 */
export function liveIterator<S, T>(options: {
  source: AsyncIterator<S>;
  map: (item: S) => Promise<T> | T;
  close: () => Promise<void> | void;
  limit?: number;
  retry?: FeedRetry<S>;
}): AsyncIterableIterator<T> {
  let left = options.limit ?? Infinity;
  let done = false;
  const closing = new AbortController();
  const finish = async (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      closing.abort();
      await options.close();
    }
    return { done: true, value: undefined };
  };
  const map = (item: S): Promise<T> => {
    const { retry } = options;
    if (!retry) return Promise.resolve(options.map(item));
    return retryWhileUnreachable(async () => options.map(item), {
      forMs: retry.unavailableAfterMs,
      signal: closing.signal,
      unavailable: (error, waited) => unreachableFor(waited, retry.resumeAt(item), error),
    });
  };
  return {
    async next() {
      if (done || left <= 0) return finish();
      const item = await options.source.next();
      if (done || item.done) return finish();
      left -= 1;
      return { done: false, value: await map(item.value) };
    },
    return: finish,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** The error that ends a live feed once the database has been out of reach too long. */
export function unreachableFor(
  waitedMs: number,
  resume: { position?: number; size?: number },
  cause: unknown,
): DatabaseUnavailableError {
  const where =
    resume.position !== undefined
      ? `; subscribe again from position ${resume.position}`
      : resume.size !== undefined
        ? `; the last checkpoint sent had size ${resume.size}`
        : '';
  return new DatabaseUnavailableError(
    `the database has been unreachable for ${Math.round(waitedMs / 1000)} s${where}`,
    resume,
    { cause },
  );
}

function unavailableAfterMs(store: EventStore): number {
  return store instanceof PostgresEventStore
    ? store.unavailableAfterMs
    : DEFAULT_UNAVAILABLE_AFTER_MS;
}

/**
 * New events of the log, from `from` (default: the head, i.e. only new ones); with `raw`, as
 * stored (not upcast: what the ledger hashed). The
 * subscription rides out an unreachable database by itself; `retry` lets `liveIterator` do
 * the same for the reads its `map` makes.
 */
export async function eventFeed(
  store: EventStore,
  filter: EventFilter,
  from: number | undefined,
  options: { raw?: boolean } = {},
): Promise<{
  source: AsyncIterator<RecordedEvent>;
  close: () => Promise<void>;
  retry: FeedRetry<RecordedEvent>;
}> {
  const forMs = unavailableAfterMs(store);
  const start =
    from ??
    (await retryWhileUnreachable(() => store.head(), {
      forMs,
      unavailable: (error, waited) => unreachableFor(waited, {}, error),
    }));
  const subscription = store.subscribe({ from: start, filter, raw: options.raw });
  return {
    source: subscription[Symbol.asyncIterator](),
    close: () => subscription.close(),
    retry: { unavailableAfterMs: forMs, resumeAt: (event) => ({ position: event.position }) },
  };
}
