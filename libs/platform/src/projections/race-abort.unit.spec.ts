import { getEventListeners } from 'node:events';
import { setImmediate as tick } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { ABORTED, raceAbort } from './race-abort.js';

describe('raceAbort', () => {
  it('settles with the value when the promise settles first', async () => {
    const signal = new AbortController().signal;

    await expect(raceAbort(Promise.resolve(7), signal)).resolves.toBe(7);
    await expect(raceAbort(Promise.reject(new Error('read failed')), signal)).rejects.toThrow(
      'read failed',
    );
  });

  it('settles with ABORTED when the signal aborts first, or already has', async () => {
    const controller = new AbortController();
    const waiting = raceAbort(new Promise<number>(() => undefined), controller.signal);
    controller.abort();

    await expect(waiting).resolves.toBe(ABORTED);
    await expect(raceAbort(Promise.resolve(7), controller.signal)).resolves.toBe(ABORTED);
  });

  it('leaves no listener on a long-lived signal, and keeps none of the values', async () => {
    const signal = new AbortController().signal;
    const values: WeakRef<object>[] = [];
    for (let i = 0; i < 1000; i++) {
      const value = { i, payload: 'x'.repeat(100) };
      values.push(new WeakRef(value));
      await raceAbort(Promise.resolve(value), signal);
    }
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    // A few rounds: a value the last job touched is kept until that job ends, and a loaded
    // machine may need more than one full collection to clear it.
    for (let round = 0; round < 3; round++) {
      await tick();
      gc();
    }
    await tick();

    expect(getEventListeners(signal, 'abort')).toEqual([]);
    // The last one may still be held by the loop's own scope.
    expect(values.filter((ref) => ref.deref() !== undefined).length).toBeLessThanOrEqual(1);
  });
});
