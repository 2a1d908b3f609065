import { describe, expect, it } from '@jest/globals';
import { canonicalize, leafBytesOf, type EventEnvelope } from '#ledger';
import { leafBytesWith } from './prepare.js';

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
