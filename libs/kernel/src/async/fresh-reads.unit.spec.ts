import { describe, expect, it } from '@jest/globals';
import { FreshReads } from './fresh-reads.js';

/** A read that settles when the test says, counting how many were started. */
function reads() {
  const started: { resolve(value: number): void; reject(error: Error): void }[] = [];
  const read = () =>
    new Promise<number>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { started, read };
}

describe('FreshReads', () => {
  it('answers a caller who asked while a read ran from a read started after it asked', async () => {
    const fresh = new FreshReads<number>();
    const { started, read } = reads();

    const first = fresh.run('version', read);
    const later = fresh.run('version', read);
    expect(started).toHaveLength(1);
    started[0].resolve(1);

    expect(await first).toBe(1);
    await Promise.resolve();
    // The second caller's read started only once the one under way had settled.
    expect(started).toHaveLength(2);
    started[1].resolve(2);
    expect(await later).toBe(2);
  });

  it('has everyone who asked while a read ran share the one next read', async () => {
    const fresh = new FreshReads<number>();
    const { started, read } = reads();

    const first = fresh.run('version', read);
    const waiting = [1, 2, 3].map(() => fresh.run('version', read));
    started[0].resolve(10);
    await first;
    await Promise.resolve();
    started[1].resolve(20);

    expect(await Promise.all(waiting)).toEqual([20, 20, 20]);
    expect(started).toHaveLength(2);
  });

  it('starts at once when no read of the key runs, and keeps keys apart', async () => {
    const fresh = new FreshReads<number>();
    const { started, read } = reads();

    const primary = fresh.run('primary', read);
    const replica = fresh.run('replica', read);
    expect(started).toHaveLength(2);
    started[0].resolve(1);
    started[1].resolve(2);
    expect([await primary, await replica]).toEqual([1, 2]);

    const again = fresh.run('primary', read);
    expect(started).toHaveLength(3);
    started[2].resolve(3);
    expect(await again).toBe(3);
  });

  it('hands a failure to those who shared the read, and the next caller reads again', async () => {
    const fresh = new FreshReads<number>();
    const { started, read } = reads();

    const first = fresh.run('version', read);
    const shared = [fresh.run('version', read), fresh.run('version', read)];
    // The read under way fails: the next one still starts for those who waited on it.
    started[0].reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await Promise.resolve();
    started[1].reject(new Error('still down'));
    const outcomes = await Promise.allSettled(shared);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);

    const after = fresh.run('version', read);
    expect(started).toHaveLength(3);
    started[2].resolve(7);
    expect(await after).toBe(7);
  });

  it('turns a read that throws before it returns a promise into a rejection', async () => {
    const fresh = new FreshReads<number>();
    const throwing = (): Promise<number> => {
      throw new Error('no pool');
    };

    await expect(fresh.run('version', throwing)).rejects.toThrow('no pool');
    expect(await fresh.run('version', async () => 5)).toBe(5);
  });
});
