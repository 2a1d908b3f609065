import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { checkOut, keepErrorListener } from './connections.js';

// pg-pool hands a released client to the next waiter synchronously, while the released
// client's socket data is still being parsed: a termination notice in the same read is
// emitted on the client before any promise continuation runs. This pool does the same: its
// callback is called, then the client emits 'error' at once, before the caller's `await`
// could resume.

interface FakeClient extends EventEmitter {
  released: unknown[];
  release(error?: unknown): void;
}

function fakeClient(): FakeClient {
  const client = new EventEmitter() as FakeClient;
  client.released = [];
  client.release = (error?: unknown) => client.released.push(error);
  return client;
}

function terminatingPool(client: FakeClient, notice: Error): pg.Pool {
  const handOver = (callback: (error: undefined, client: FakeClient) => void) => {
    callback(undefined, client);
    client.emit('error', notice); // an emit with no listener throws here, in the socket handler
  };
  return {
    connect(callback?: (error: undefined, client: FakeClient) => void) {
      if (callback) return handOver(callback);
      return new Promise((resolve) => handOver((_error, handed) => resolve(handed)));
    },
  } as unknown as pg.Pool;
}

describe('checkOut', () => {
  it('holds the connection with an error listener from the moment the pool hands it over', async () => {
    const client = fakeClient();
    const notice = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });

    const held = await checkOut(terminatingPool(client, notice));

    expect(held.lost).toBe(notice);
    held.release();
    expect(client.released).toEqual([notice]);
    expect(client.listenerCount('error')).toBe(0);
  });

  it('returns a healthy connection to the pool as healthy', async () => {
    const client = fakeClient();
    const pool = {
      connect: (callback: (error: undefined, handed: FakeClient) => void) =>
        callback(undefined, client),
    } as unknown as pg.Pool;

    const held = await checkOut(pool);
    held.release(new Error('duplicate key value violates unique constraint'));

    expect(held.lost).toBeUndefined();
    expect(client.released).toEqual([undefined]);
  });

  it('fails when the pool cannot connect', async () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const pool = {
      connect: (callback: (error: Error) => void) => callback(refused),
    } as unknown as pg.Pool;

    await expect(checkOut(pool)).rejects.toBe(refused);
  });
});

describe('keepErrorListener', () => {
  it('keeps a client whose connection ends while nobody holds it from ending the process', () => {
    const client = fakeClient();
    keepErrorListener(client as unknown as pg.ClientBase);

    expect(() =>
      client.emit('error', new Error('Connection terminated unexpectedly')),
    ).not.toThrow();
    expect(() => client.emit('error', new Error('a second notice'))).not.toThrow();
  });
});
