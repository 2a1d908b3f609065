import { describe, expect, it } from '@jest/globals';
import { closeAll } from './server-database.js';

describe('closeAll', () => {
  it('runs every step, last added first, even after one fails, then rejects with the first failure', async () => {
    const ran: string[] = [];
    const failure = new Error('the pool would not close');
    const steps = [
      async () => void ran.push('database'),
      async () => {
        ran.push('store');
        throw new Error('the store would not close');
      },
      async () => {
        ran.push('read models');
        throw failure;
      },
    ];

    const closed = await closeAll(steps).catch((error: unknown) => error);

    expect(closed).toBe(failure);
    expect(ran).toEqual(['read models', 'store', 'database']);
  });

  it('runs each step once, however often it is called', async () => {
    let runs = 0;
    const steps = [async () => void runs++];

    await closeAll(steps);
    await closeAll(steps);

    expect(runs).toBe(1);
  });
});
