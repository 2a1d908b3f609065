import { describe, expect, it } from '@jest/globals';

import { toHex } from '../../test/support/fixtures.js';
import { InvalidArgumentError } from '../errors.js';
import { leafBytesOf, type EventEnvelope } from '../event/envelope.js';
import { encodeEventBundle } from './event-bundle.js';
import { decodeEntryBundle, encodeEntryBundle } from './tiles.js';

const event = (position: number, data: EventEnvelope['data']): EventEnvelope => ({
  id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  stream: `commitment-${position % 3}`,
  streamVersion: 1 + Math.floor(position / 3),
  position,
  type: 'ProgressReported',
  schemaVersion: 1,
  data,
  metadata: {
    actor: { subject: 'planeacion-ana', role: 'steward' },
    occurredAt: '2026-03-01T10:00:00.000Z',
    recordedAt: '2026-03-01T10:00:01.000Z',
  },
});

describe('encodeEventBundle', () => {
  it('frames each event leaf bytes exactly as encodeEntryBundle does', () => {
    // One-, two-, three- and four-byte UTF-8, escapes, numbers RFC 8785 rewrites, nesting.
    const events = [
      event(0, { note: 'avance', percent: 40 }),
      event(1, { note: 'ñandú — “comillas” 𝄞 \u0007 \\ "', ratio: 1e21, small: 1e-7 }),
      event(2, { z: [1, { b: true, a: null }], a: { ü: 'é', u: 'e' } }),
      event(3, {}),
    ];
    const bundle = encodeEventBundle(events);
    expect(toHex(bundle)).toBe(toHex(encodeEntryBundle(events.map(leafBytesOf))));
    expect(decodeEntryBundle(bundle).map(toHex)).toEqual(events.map(leafBytesOf).map(toHex));
  });

  it('frames a bundle of no events as no bytes', () => {
    expect(encodeEventBundle([])).toHaveLength(0);
  });

  it('refuses an event whose canonical JSON is longer than 65,535 bytes', () => {
    // 33,000 two-byte characters: within 65,535 UTF-16 code units, beyond 65,535 bytes.
    const long = event(7, { text: 'ä'.repeat(33_000) });
    expect(() => encodeEventBundle([event(6, {}), long])).toThrow(InvalidArgumentError);
  });

  it('frames an event of exactly 65,535 bytes', () => {
    const base = leafBytesOf(event(8, { text: '' })).length;
    const exact = event(8, { text: 'a'.repeat(0xffff - base) });
    expect(leafBytesOf(exact)).toHaveLength(0xffff);
    expect(toHex(encodeEventBundle([exact]))).toBe(toHex(encodeEntryBundle([leafBytesOf(exact)])));
  });
});
