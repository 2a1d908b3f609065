import { describe, expect, it } from '@jest/globals';
import {
  canonicalize,
  leafBytesOf,
  MAX_ENTRY_BYTES,
  type EventEnvelope,
  type JsonObject,
} from '#ledger';
import { InvalidEventError } from './event-store.errors.js';
import type { NewEvent, NewEventMetadata } from './event-store.port.js';
import { canonicalTexts, prepareAppend } from './prepare.js';

const actors: NewEventMetadata['actor'][] = [
  { subject: 'planeacion-ana', role: 'steward', agency: 'planeacion' },
  { subject: 'ciudadano "7" \\ ñ', role: 'citizen' },
  null,
];
const optional = {
  reason: 'la audiencia se aplazó por lluvias\n"y vientos" \u2028 😀',
  correlationId: 'corr-\u0001',
  causationId: 'cause-1',
  commandId: 'cmd-1',
} as const;
const datas: JsonObject[] = [
  { z: 1, a: [1.5, 'ñandú', { y: null, b: true }], '\u00e9': 'é', emoji: '😀', big: 1e21 },
  {},
];

/** Every subset of the optional metadata members, with each actor and data. */
function newEvents(): NewEvent[] {
  const keys = Object.keys(optional) as (keyof typeof optional)[];
  const events: NewEvent[] = [];
  for (let subset = 0; subset < 1 << keys.length; subset++) {
    for (const [i, actor] of actors.entries()) {
      const metadata: NewEventMetadata = { actor };
      keys.forEach((key, bit) => {
        if (subset & (1 << bit)) metadata[key] = optional[key];
      });
      if ((subset + i) % 2 === 0) metadata.occurredAt = '2023-03-01T00:00:00-05:00';
      events.push({
        type: 'MilestoneRescheduled',
        schemaVersion: 1 + i,
        data: datas[subset % 2],
        metadata,
      });
    }
  }
  return events;
}

describe('canonicalTexts', () => {
  const placement = {
    stream: 'commitment-ctg-2023',
    streamVersion: 3,
    position: 41,
    recordedAt: '2023-03-02T10:11:12.345Z',
  };
  const events = newEvents();

  it(`gives the ledger's leaf and the canonical metadata for ${events.length} shapes of event`, () => {
    for (const event of events) {
      const [prepared] = prepareAppend(placement.stream, [event]);
      const envelope: EventEnvelope = {
        id: prepared.id,
        stream: placement.stream,
        streamVersion: placement.streamVersion,
        position: placement.position,
        type: prepared.type,
        schemaVersion: prepared.schemaVersion,
        data: event.data,
        metadata: {
          ...prepared.metadata,
          occurredAt: prepared.metadata.occurredAt ?? placement.recordedAt,
          recordedAt: placement.recordedAt,
        },
      };

      const texts = canonicalTexts(prepared, placement);

      expect(texts.leaf).toBe(Buffer.from(leafBytesOf(envelope)).toString('utf8'));
      expect(texts.metadata).toBe(canonicalize(envelope.metadata));
    }
  });
});

describe('prepareAppend and text the log cannot store in metadata', () => {
  for (const [field, metadata] of [
    ['events[0].metadata.reason', { actor: null, reason: 'aplazado \ud800' }],
    ['events[0].metadata.commandId', { actor: null, commandId: '\udc00cmd' }],
    ['events[0].metadata.actor.subject', { actor: { subject: 'ana\ud83d', role: 'steward' } }],
    ['events[0].metadata.reason', { actor: null, reason: 'aplazado\u0000' }],
    ['events[0].metadata.correlationId', { actor: null, correlationId: '\u0000' }],
    ['events[0].metadata.actor.agency', { actor: { subject: 'a', role: 'r', agency: 'x\u0000' } }],
  ] as const) {
    it(`refuses a lone surrogate or NUL in ${field}, naming it`, () => {
      expect(() =>
        prepareAppend('commitment-ctg', [{ type: 'CommitmentRegistered', data: {}, metadata }]),
      ).toThrow(expect.objectContaining({ code: 'INVALID_EVENT', field }));
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
