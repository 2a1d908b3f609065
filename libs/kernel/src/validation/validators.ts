import {
  isCalendarDate,
  isPlannedDate,
  type CalendarDate,
  type PlannedDate,
} from '../calendar/calendar.js';
import { InvalidCommand, type ValidationRule } from '../errors/invalid-command.js';

// Input checks every context's deciders share. Each takes the raw value (the API's types are
// not trusted to have run) and the field's path for the error, and returns the value as it is
// recorded: trimmed, defaults filled in. Each throws InvalidCommand naming the field and rule.

/** The sizes the shared checks default to. */
export const TEXT_LIMITS = {
  /** Free text: a description, a reason. */
  text: 20_000,
  /** A name: of an office, a funding source, a file. */
  name: 300,
  /** Entries in a list of names. */
  listEntries: 100,
} as const;

/** Throws the InvalidCommand for `field` breaking `rule`. */
export function fail(field: string, rule: ValidationRule, message?: string): never {
  throw new InvalidCommand({ field, rule, message });
}

/**
 * Text that shows nothing: white space, control characters and default-ignorable code points
 * (zero-width spaces and joiners, word joiners, soft hyphens, byte-order marks, variation
 * selectors, Hangul fillers).
 */
const INVISIBLE = /^[\p{White_Space}\p{Cc}\p{Default_Ignorable_Code_Point}]*$/u;

/** Required text, trimmed, at most `max` characters, with at least one visible character. */
export function text(value: unknown, field: string, max: number = TEXT_LIMITS.text): string {
  if (value === undefined || value === null) fail(field, 'required');
  if (typeof value !== 'string') fail(field, 'format', `${field} must be text`);
  const trimmed = value.trim();
  if (trimmed === '') fail(field, 'required');
  if (INVISIBLE.test(trimmed)) {
    fail(field, 'required', `${field} is required: it holds no visible character`);
  }
  if (trimmed.length > max) fail(field, 'too_long', `${field} is longer than ${max} characters`);
  return trimmed;
}

/** Like `text`, but `undefined` (the field left out) stays `undefined`. */
export function optionalText(
  value: unknown,
  field: string,
  max: number = TEXT_LIMITS.text,
): string | undefined {
  return value === undefined ? undefined : text(value, field, max);
}

/** A list of distinct short texts; may be empty. */
export function textList(value: unknown, field: string, max: number = TEXT_LIMITS.name): string[] {
  const items = list(value, field, TEXT_LIMITS.listEntries);
  const result = items.map((item, i) => text(item, `${field}.${i}`, max));
  unique(result, field);
  return result;
}

/** A list of at most `maxEntries` items, not yet checked one by one. */
export function list(value: unknown, field: string, maxEntries: number): unknown[] {
  if (!Array.isArray(value)) fail(field, 'format', `${field} must be a list`);
  if (value.length > maxEntries) fail(field, 'too_many', `${field} has over ${maxEntries} entries`);
  return value;
}

/** Each value at most once; the error names the second one's index. */
export function unique(values: readonly string[], field: string): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) fail(`${field}.${i}`, 'unique', `${field} lists "${v}" twice`);
    seen.add(v);
  });
}

/** A JSON object (not null, not a list), its members not yet checked. */
export function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, 'format', `${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** An id chosen by the caller: 1 to 64 letters, digits, `-` or `_` (a UUID fits). */
export function identifier(value: unknown, field: string): string {
  if (value === undefined || value === '') fail(field, 'required');
  if (typeof value !== 'string' || !ID.test(value)) {
    fail(field, 'format', `${field} must be 1 to 64 letters, digits, '-' or '_'`);
  }
  return value;
}

export function calendarDate(value: unknown, field: string): CalendarDate {
  if (value === undefined || value === '') fail(field, 'required');
  if (!isCalendarDate(value)) fail(field, 'calendar_date');
  return value;
}

export function plannedDate(value: unknown, field: string): PlannedDate {
  if (value === undefined || value === '') fail(field, 'required');
  if (!isPlannedDate(value)) fail(field, 'planned_date');
  return value;
}

/** A whole percent from 0 to 100. */
export function percent(value: unknown, field: string): number {
  if (value === undefined || value === null) fail(field, 'required');
  if (typeof value !== 'number' || Number.isNaN(value)) {
    fail(field, 'format', `${field} must be a number`);
  }
  if (!Number.isInteger(value)) fail(field, 'integer', `${field} must be a whole percent`);
  if (value < 0 || value > 100) fail(field, 'range', `${field} must be from 0 to 100`);
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (value === undefined || value === '') fail(field, 'required');
  if (!allowed.includes(value as T)) {
    fail(field, 'one_of', `${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}
