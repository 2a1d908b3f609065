import { InvalidInputError } from '../../errors/invalid-input.error.js';

// Relay cursors: opaque to clients (base64url), and checked when they come back, so that a
// cursor the API did not make is an input error on `after`, never a query that fails.

/** The highest stream version (the event store keeps versions in a 32-bit integer). */
const MAX_STREAM_VERSION = 2 ** 31 - 1;

/** An opaque cursor holding `value` (JSON). */
export const jsonCursor = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The JSON value a `jsonCursor` holds, or `undefined` when `cursor` is not one. The caller
 * checks its shape and reports a bad cursor on `after`.
 */
export function jsonCursorValue(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The cursor of a history entry: its stream version. */
export const historyCursor = (version: number): string =>
  Buffer.from(`v${version}`).toString('base64url');

/**
 * The stream version a history cursor names, 1 to 2^31 - 1.
 * @throws InvalidInputError on `after` for anything `historyCursor` does not make.
 */
export function historyVersionOf(cursor: string): number {
  const match = /^v(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || version < 1 || version > MAX_STREAM_VERSION) {
    throw new InvalidInputError('after', 'is not a cursor of this history');
  }
  return version;
}
