import { describe, expect, it } from '@jest/globals';
import { canonicalize, leafBytesOf, MAX_ENTRY_BYTES, type EventEnvelope } from '#ledger';
import { InvalidEventError } from './event-store.errors.js';
import { leafBytesWith, prepareAppend } from './prepare.js';

const envelopes: EventEnvelope[] = [
  {
    id: '0b9c8a4e-0c3f-4f7e-9a51-1f0c2b7d8e01',
    stream: 'commitment-ctg-2023',
    streamVersion: 3,
    position: 41,
    type: 'MilestoneRescheduled',
    schemaVersion: 2,
    data: { z: 1, a: [1.5, 'ñandú', { y: null, b: true }], '\u00e9': 'é', emoji: '😀', big: 1e21 },
    metadata: {
      actor: { subject: 'planeacion-ana', role: 'steward', agency: 'planeacion' },
      occurredAt: '2023-03-01T00:00:00.000Z',
      recordedAt: '2023-03-02T10:11:12.345Z',
      reason: 'la audiencia se aplazó por lluvias',
      commandId: 'cmd-1',
    },
  },
  {
    id: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
    stream: 'a',
    streamVersion: 1,
    position: 0,
    type: 'A',
    schemaVersion: 1,
    data: {},
    metadata: {
      actor: null,
      occurredAt: '2023-01-01T00:00:00Z',
      recordedAt: '2023-01-01T00:00:00Z',
    },
  },
];

describe('leafBytesWith', () => {
  for (const envelope of envelopes) {
    it(`gives the ledger's leaf bytes for ${envelope.type}`, () => {
      const reused = leafBytesWith(envelope, canonicalize(envelope.data));
      expect(Buffer.from(reused).toString('utf8')).toBe(
        Buffer.from(leafBytesOf(envelope)).toString('utf8'),
      );
    });
  }
});

describe('prepareAppend and the size of a leaf', () => {
  const actor = { subject: 'planeacion-ana', role: 'steward', agency: 'planeacion' };
  const eventWith = (text: string) => ({
    type: 'CommitmentRegistered',
    data: { text },
    metadata: { actor, occurredAt: '2023-03-01T00:00:00.000Z', commandId: 'cmd-1' },
  });
  /** The leaf the store would write at the widest position and version it can give. */
  const leafAt = (text: string) =>
    leafBytesOf({
      id: '0b9c8a4e-0c3f-4f7e-9a51-1f0c2b7d8e01',
      stream: 'commitment-ctg',
      streamVersion: Number.MAX_SAFE_INTEGER,
      position: Number.MAX_SAFE_INTEGER,
      type: 'CommitmentRegistered',
      schemaVersion: 1,
      data: { text },
      metadata: {
        actor,
        occurredAt: '2023-03-01T00:00:00.000Z',
        recordedAt: '2026-12-06T02:05:32.000Z',
        commandId: 'cmd-1',
      },
    }).length;
  // The longest text of 2-byte characters whose leaf still fits an entry bundle.
  const overhead = leafAt('');
  const fitting = 'ñ'.repeat(Math.floor((MAX_ENTRY_BYTES - overhead) / 2));

  it('accepts an event whose leaf fits a tlog-tiles entry bundle, however it is placed', () => {
    expect(leafAt(fitting)).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
    expect(prepareAppend('commitment-ctg', [eventWith(fitting)])).toHaveLength(1);
  });

  it('refuses, on its data, an event whose leaf would not fit', () => {
    const tooLong = `${fitting}ññ`;
    expect(leafAt(tooLong)).toBeGreaterThan(MAX_ENTRY_BYTES);

    const error = (() => {
      try {
        prepareAppend('commitment-ctg', [eventWith('small'), eventWith(tooLong)]);
      } catch (thrown) {
        return thrown;
      }
    })();

    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error).toMatchObject({ code: 'INVALID_EVENT', field: 'events[1].data' });
  });
});
