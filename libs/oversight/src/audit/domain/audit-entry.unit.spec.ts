import { describe, expect, it } from '@jest/globals';
import { auditFactsOf, isRetroactive, type AuditedEvent } from './audit-entry.js';

const event = (occurredAt: string, recordedAt: string, reason?: string): AuditedEvent => ({
  position: 7,
  stream: 'commitment-c1',
  type: 'MilestoneRescheduled',
  metadata: {
    actor: { subject: 'ana', role: 'steward', agency: 'a1' },
    occurredAt,
    recordedAt,
    ...(reason === undefined ? {} : { reason }),
  },
});

describe('auditFactsOf', () => {
  it('is not before a previous change on a stream first event', () => {
    const { facts, latest } = auditFactsOf(
      event('2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.500Z'),
      undefined,
    );
    expect(facts).toEqual({
      beforePreviousChange: false,
      backdatedSeconds: 0,
      hasReason: false,
      month: '2026-03-01',
    });
    expect(latest).toBe('2026-03-01T00:00:00.000Z');
  });

  it('marks a business time earlier than the stream latest, and keeps that latest', () => {
    const { facts, latest } = auditFactsOf(
      event('2026-02-01T00:00:00.000Z', '2026-03-10T00:00:00.000Z', 'late report'),
      '2026-03-05T00:00:00.000Z',
    );
    expect(facts.beforePreviousChange).toBe(true);
    expect(facts.backdatedSeconds).toBe(37 * 86_400);
    expect(facts.hasReason).toBe(true);
    expect(latest).toBe('2026-03-05T00:00:00.000Z');
  });

  it('moves the stream latest forward with a later business time', () => {
    const { facts, latest } = auditFactsOf(
      event('2026-03-06T00:00:00.000Z', '2026-03-06T00:00:01.000Z'),
      '2026-03-05T00:00:00.000Z',
    );
    expect(facts.beforePreviousChange).toBe(false);
    expect(latest).toBe('2026-03-06T00:00:00.000Z');
  });

  it('counts a blank reason as none', () => {
    const { facts } = auditFactsOf(
      event('2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '  '),
      undefined,
    );
    expect(facts.hasReason).toBe(false);
  });

  it('puts the month in UTC whatever the offset of the recording time', () => {
    const { facts } = auditFactsOf(
      event('2026-03-31T20:00:00-05:00', '2026-03-31T20:00:00-05:00'),
      undefined,
    );
    expect(facts.month).toBe('2026-04-01');
  });
});

describe('isRetroactive', () => {
  it('is retroactive before the stream previous change, however recent', () => {
    expect(isRetroactive({ beforePreviousChange: true, backdatedSeconds: 0 }, 30)).toBe(true);
  });

  it('is retroactive only past the threshold of days', () => {
    const day = 86_400;
    expect(isRetroactive({ beforePreviousChange: false, backdatedSeconds: 30 * day }, 30)).toBe(
      false,
    );
    expect(isRetroactive({ beforePreviousChange: false, backdatedSeconds: 30 * day + 1 }, 30)).toBe(
      true,
    );
    expect(isRetroactive({ beforePreviousChange: false, backdatedSeconds: 2 * day }, 1)).toBe(true);
  });
});
