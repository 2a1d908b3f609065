import { describe, expect, it } from '@jest/globals';
import { canonicalize } from '#ledger';
import type { EventStore, RecordedEvent, SubscribeOptions, Subscription } from '#event-store';
import { LogLiveResolver } from './live.resolver.js';

const event = (position: number): RecordedEvent => ({
  id: `00000000-0000-4000-8000-${String(position + 1).padStart(12, '0')}`,
  stream: 'commitment-c1',
  streamVersion: position + 1,
  position,
  type: 'MilestoneAdded',
  schemaVersion: 1,
  data: { milestoneId: `m${position + 1}` },
  metadata: {
    actor: { subject: 'ana', role: 'steward' },
    occurredAt: '2023-01-16T14:00:00.000Z',
    recordedAt: '2023-01-16T14:05:00.000Z',
    reason: 'plan',
  },
});

/** A store at `head` whose subscription delivers `events`, recording how it was opened and closed. */
function fakeStore(head: number, events: RecordedEvent[]) {
  const seen = { options: [] as SubscribeOptions[], closed: 0 };
  const store = {
    head: async () => head,
    subscribe: (options: SubscribeOptions): Subscription => {
      seen.options.push(options);
      return {
        position: options.from,
        close: async () => {
          seen.closed += 1;
        },
        async *[Symbol.asyncIterator]() {
          yield* events;
        },
      };
    },
  } as unknown as EventStore;
  return { store, seen };
}

const collect = async <T>(results: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const result of results) all.push(result);
  return all;
};

describe('LogLiveResolver.eventsAppended', () => {
  it('follows from the head with the filter asked, as stored log events, until its limit', async () => {
    const { store, seen } = fakeStore(7, [event(7), event(8), event(9)]);
    const resolver = new LogLiveResolver(store);

    const results = await collect(
      await resolver.eventsAppended({
        streamPrefix: 'commitment-',
        types: ['MilestoneAdded'],
        limit: 2,
      }),
    );

    expect(seen.options).toEqual([
      {
        from: 7,
        filter: { streams: undefined, streamPrefix: 'commitment-', types: ['MilestoneAdded'] },
        raw: true,
      },
    ]);
    expect(results).toEqual([
      {
        eventsAppended: {
          canonical: canonicalize(event(7)),
          id: '00000000-0000-4000-8000-000000000008',
          stream: 'commitment-c1',
          streamVersion: 8,
          position: 7,
          type: 'MilestoneAdded',
          schemaVersion: 1,
          data: { milestoneId: 'm8' },
          actor: { subject: 'ana', role: 'steward', agency: null },
          occurredAt: new Date('2023-01-16T14:00:00.000Z'),
          recordedAt: new Date('2023-01-16T14:05:00.000Z'),
          reason: 'plan',
          commandId: null,
        },
      },
      expect.objectContaining({ eventsAppended: expect.objectContaining({ position: 8 }) }),
    ]);
    expect(seen.closed).toBe(1);
  });

  it('starts from the position given, so a client that reconnects misses nothing', async () => {
    const { store, seen } = fakeStore(7, [event(2)]);
    const resolver = new LogLiveResolver(store);

    const results = await collect(await resolver.eventsAppended({ from: 2, limit: 1 }));

    expect(seen.options.map((options) => options.from)).toEqual([2]);
    expect(results.map((result) => result.eventsAppended.position)).toEqual([2]);
  });
});
