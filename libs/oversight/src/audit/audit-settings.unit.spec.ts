import { describe, expect, it } from '@jest/globals';
import { auditSettings } from './audit-settings.js';

describe('auditSettings', () => {
  it('defaults to 30 days', () => {
    expect(auditSettings({})).toEqual({ retroactiveDays: 30 });
  });

  it('reads a whole number of days', () => {
    expect(auditSettings({ CUENTA_AUDIT_RETROACTIVE_DAYS: '7' })).toEqual({ retroactiveDays: 7 });
  });

  it.each(['0', '-3', '2.5', 'ten'])('refuses %s, naming the variable', (raw) => {
    expect(() => auditSettings({ CUENTA_AUDIT_RETROACTIVE_DAYS: raw })).toThrow(
      `CUENTA_AUDIT_RETROACTIVE_DAYS must be a whole number of days, at least 1 (got "${raw}")`,
    );
  });
});
