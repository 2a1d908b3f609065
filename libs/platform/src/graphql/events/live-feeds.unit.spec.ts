import { describe, expect, it } from '@jest/globals';
import { DatabaseUnavailableError } from '#event-store';
import { liveIterator } from './live-feeds.js';

/** A source that hands out `items` and then waits forever, as a live feed does. */
function sourceOf<S>(items: S[]): AsyncIterator<S> {
  const queue = [...items];
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve({ done: false, value: queue.shift() as S })
        : new Promise<IteratorResult<S>>(() => undefined),
  };
}

const lost = () => new Error('Connection terminated unexpectedly');

describe('liveIterator with retry', () => {
  it('maps an item again while the database is out of reach, and delivers it once', async () => {
    let failures = 2;
    const mapped: number[] = [];
    const iterator = liveIterator({
      source: sourceOf([{ position: 7 }, { position: 8 }]),
      close: () => undefined,
      map: async (item: { position: number }) => {
        if (item.position === 7 && failures-- > 0) throw lost();
        mapped.push(item.position);
        return item.position;
      },
      retry: { unavailableAfterMs: 30_000, resumeAt: (item) => ({ position: item.position }) },
    });

    const first = await iterator.next();
    const second = await iterator.next();

    expect([first.value, second.value]).toEqual([7, 8]);
    expect(mapped).toEqual([7, 8]);
  });

  it('ends with DATABASE_UNAVAILABLE naming the item to resume from once the outage outlasts the limit', async () => {
    const iterator = liveIterator({
      source: sourceOf([{ position: 41 }]),
      close: () => undefined,
      map: async (): Promise<number> => {
        throw lost();
      },
      retry: { unavailableAfterMs: 300, resumeAt: (item) => ({ position: item.position }) },
    });

    const error = await iterator.next().then(
      () => undefined,
      (failure: unknown) => failure,
    );

    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as DatabaseUnavailableError).details()).toEqual({ position: 41 });
    expect((error as Error).message).toContain('subscribe again from position 41');
  });

  it('does not retry an error that is not a lost connection', async () => {
    let calls = 0;
    const iterator = liveIterator({
      source: sourceOf([{ position: 1 }]),
      close: () => undefined,
      map: async (): Promise<number> => {
        calls++;
        throw new RangeError('a bug, not an outage');
      },
      retry: { unavailableAfterMs: 30_000, resumeAt: (item) => ({ position: item.position }) },
    });

    await expect(iterator.next()).rejects.toThrow('a bug, not an outage');
    expect(calls).toBe(1);
  });
});
