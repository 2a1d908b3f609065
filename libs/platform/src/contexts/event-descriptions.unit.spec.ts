import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#event-store';
import { EventDescriptions, type DescribedStream } from './event-descriptions.js';

const stream = (prefix: string, name: string): DescribedStream<number> => ({
  prefix,
  name,
  state: {
    streamType: {
      schemaVersions: {},
      upcasters: 'NONE',
      decider: { initialState: 0, evolve: (state: number) => state + 1 },
    },
    changes: (before, after) => [{ path: '/count', before, after }],
  },
});

const event = (type: string, streamName: string): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000001',
  stream: streamName,
  streamVersion: 1,
  position: 0,
  type,
  schemaVersion: 1,
  data: {},
  metadata: { actor: null, occurredAt: '2026-01-01T00:00:00Z', recordedAt: '2026-01-01T00:00:00Z' },
});

const descriptions = new EventDescriptions([
  {
    name: 'things',
    eventDescriptions: {
      streams: [stream('thing-', 'thing'), stream('thing-part-', 'thingPart')] as DescribedStream[],
      summarize: (e) =>
        e.type === 'ThingMade' ? { es: 'Cosa hecha', en: 'Thing made' } : undefined,
    },
  },
  { name: 'silent' },
]);

describe('EventDescriptions', () => {
  it('finds the stream kind by its longest prefix', () => {
    expect(descriptions.streamOf('thing-part-1')?.prefix).toBe('thing-part-');
    expect(descriptions.streamOf('thing-1')?.prefix).toBe('thing-');
    expect(descriptions.streamOf('other-1')).toBeUndefined();
    expect(descriptions.contextOf('thing-1')).toBe('things');
  });

  it("summarizes with the context's line, else from the type and stream", () => {
    expect(descriptions.summarize(event('ThingMade', 'thing-1'))).toEqual({
      es: 'Cosa hecha',
      en: 'Thing made',
    });
    expect(descriptions.summarize(event('LogWitnessAdded', 'log-witnesses'))).toEqual({
      es: 'LogWitnessAdded en log-witnesses',
      en: 'LogWitnessAdded on log-witnesses',
    });
  });

  it('lists only the contexts that describe their events, with their prefixes', () => {
    expect(descriptions.contexts()).toEqual(['things']);
    expect(descriptions.prefixesOf('things')).toEqual(['thing-', 'thing-part-']);
    expect(descriptions.prefixesOf('silent')).toBeUndefined();
  });
});
