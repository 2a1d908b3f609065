import { describe, expect, it } from '@jest/globals';
import type { EventStore, RecordedEvent, Subscription } from '#event-store';
import type { CommitmentTimeline } from '../application/commitment-timeline.js';
import { COMMITMENT_SCHEMA_VERSIONS, type CommitmentEvent } from '../domain/index.js';
import { milestoneAdded, published, registered } from '../../test/commitment.fixtures.js';
import { CommitmentLiveResolver } from './live.resolver.js';

const recorded = (events: CommitmentEvent[]): RecordedEvent[] =>
  events.map((event, i) => ({
    id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    stream: 'commitment-c1',
    streamVersion: i + 1,
    position: i,
    type: event.type,
    schemaVersion: COMMITMENT_SCHEMA_VERSIONS[event.type],
    data: event.data as unknown as RecordedEvent['data'],
    metadata: {
      actor: { subject: 'ana', role: 'steward' },
      occurredAt: '2023-01-16T14:00:00.000Z',
      recordedAt: '2023-01-16T14:00:00.000Z',
    },
  }));

/** A store whose subscription delivers `events`, and a timeline that counts stream reads. */
function fakes(events: RecordedEvent[]) {
  const store = {
    head: async () => 0,
    subscribe: (): Subscription => ({
      position: 0,
      close: async () => undefined,
      async *[Symbol.asyncIterator]() {
        yield* events;
      },
    }),
  } as unknown as EventStore;
  const timeline = {
    reads: 0,
    async events() {
      timeline.reads += 1;
      return events;
    },
  };
  return { store, timeline };
}

describe('CommitmentLiveResolver.commitmentChanged', () => {
  it('folds each event, reading the stream once for events that arrive together', async () => {
    const events = recorded([registered(), milestoneAdded(), published()]);
    const { store, timeline } = fakes(events);
    const resolver = new CommitmentLiveResolver(store, timeline as unknown as CommitmentTimeline);

    const updates = await resolver.commitmentChanged({ id: 'c1', limit: 3 });
    const shown: [string | undefined, number | undefined, number | undefined][] = [];
    for await (const update of updates) {
      const model = update.commitmentChanged;
      shown.push([model?.status, model?.version, model?.folded?.milestones.length]);
    }

    expect(shown).toEqual([
      ['draft', 1, 0],
      ['draft', 2, 1],
      ['published', 3, 1],
    ]);
    expect(timeline.reads).toBe(1);
  });
});
