import { ConfigError } from '#platform';
import { DEFAULT_RETROACTIVE_DAYS, MIN_RETROACTIVE_DAYS } from './domain/audit-entry.js';

/** How the audit log reads the log on this server, from the environment. */
export interface AuditSettings {
  /**
   * CUENTA_AUDIT_RETROACTIVE_DAYS: a change whose business time is earlier than its recording
   * by more than this many days is retroactive (default 30, at least 1).
   */
  retroactiveDays: number;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads the settings; throws ConfigError naming the bad variable. */
export function auditSettings(env: Environment): AuditSettings {
  const raw = env.CUENTA_AUDIT_RETROACTIVE_DAYS;
  if (raw === undefined || raw.trim() === '') return { retroactiveDays: DEFAULT_RETROACTIVE_DAYS };
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < MIN_RETROACTIVE_DAYS) {
    throw new ConfigError(
      'CUENTA_AUDIT_RETROACTIVE_DAYS',
      `a whole number of days, at least ${MIN_RETROACTIVE_DAYS}`,
      raw,
    );
  }
  return { retroactiveDays: value };
}
