import { describe, expect, it } from '@jest/globals';
import type { StoredCheckpoint } from '../log/postgres-ledger.js';
import type { CheckpointFeed } from './checkpoint-feed.js';
import { CheckpointLiveResolver } from './checkpoint.resolver.js';

/** A checkpoint feed that hands out `checkpoints`, counting the feeds it closes. */
function fakeCheckpoints(checkpoints: StoredCheckpoint[]) {
  const seen = { closed: 0 };
  const feed = {
    open: async () => ({
      source: (async function* () {
        yield* checkpoints;
      })(),
      close: async () => {
        seen.closed += 1;
      },
    }),
  } as unknown as CheckpointFeed;
  return { feed, seen };
}

const collect = async <T>(results: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const result of results) all.push(result);
  return all;
};

describe('CheckpointLiveResolver.checkpointSigned', () => {
  it('announces each checkpoint with its root hash in base64, until its limit', async () => {
    const signedAt = new Date('2023-01-16T15:00:00.000Z');
    const { feed, seen } = fakeCheckpoints([
      { size: 3, rootHash: new Uint8Array([1, 2, 3]), note: 'cuenta.test\n3\nAQID\n', signedAt },
      { size: 5, rootHash: new Uint8Array([4]), note: 'cuenta.test\n5\nBA==\n', signedAt },
    ]);
    const resolver = new CheckpointLiveResolver(feed);

    const results = await collect(await resolver.checkpointSigned({ limit: 1 }));

    expect(results).toEqual([
      { checkpointSigned: { size: 3, rootHash: 'AQID', note: 'cuenta.test\n3\nAQID\n', signedAt } },
    ]);
    expect(seen.closed).toBe(1);
  });
});
