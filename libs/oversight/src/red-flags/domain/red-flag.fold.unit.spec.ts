import { describe, expect, it } from '@jest/globals';
import { instantMs } from './red-flag.fold.js';

describe('instantMs', () => {
  it('reads every instant toISOString writes as Date.parse does', () => {
    const step = 7_777_777_777; // about 90 days, and every hour, minute and millisecond moves
    for (let ms = Date.UTC(-1, 0, 1); ms < Date.UTC(10_000, 0, 1); ms += step) {
      const text = new Date(ms).toISOString();
      if (text.length !== 24) continue;
      expect(instantMs(text)).toBe(Date.parse(text));
    }
    for (const text of [
      '0000-01-01T00:00:00.000Z',
      '0050-03-01T12:00:00.000Z',
      '1600-02-28T23:59:59.999Z',
      '1969-12-31T23:59:59.999Z',
      '2024-02-28T05:00:00.000Z',
      '9999-12-28T00:00:00.000Z',
    ]) {
      expect(instantMs(text)).toBe(Date.parse(text));
    }
  });

  it('leaves every other text to Date.parse', () => {
    for (const text of [
      '2023-02-29T00:00:00.000Z',
      '2023-02-30T00:00:00.000Z',
      '2023-01-31T00:00:00.000Z',
      '2023-13-01T00:00:00.000Z',
      '2023-01-01T24:00:00.000Z',
      '2023-01-01T23:60:00.000Z',
      '2023-01-01T23:59:60.000Z',
      '2023-01-01T00:00:00.000+',
      '2023-01-0xT00:00:00.000Z',
      '+02023-01-01T00:00:0.000Z',
      '2023-01-01T00:00:00Z',
      '2023-01-01',
      'not a time',
    ]) {
      expect(Object.is(instantMs(text), Date.parse(text))).toBe(true);
    }
  });
});
