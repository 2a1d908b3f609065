import { describe, expect, it } from '@jest/globals';
import { SingleFlight } from './single-flight.js';

describe('SingleFlight', () => {
  it('runs a key once while it is in flight, and again once it settled', async () => {
    const flights = new SingleFlight<number>();
    let started = 0;
    const start = async () => ++started;

    const together = await Promise.all([flights.run('a', start), flights.run('a', start)]);
    const other = await flights.run('b', start);
    const again = await flights.run('a', start);

    expect(together).toEqual([1, 1]);
    expect(other).toBe(2);
    expect(again).toBe(3);
  });

  it('forgets a key whose work failed, and hands the failure to everyone waiting on it', async () => {
    const flights = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error('no'));

    const both = await Promise.allSettled([flights.run('a', failing), flights.run('a', failing)]);
    const after = await flights.run('a', async () => 7);

    expect(both.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(after).toBe(7);
  });
});
