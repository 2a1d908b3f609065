import { InvalidInputError } from '#platform';
import type { ListPosition } from '../read-models/commitments/commitments.queries.js';

// Relay cursors: opaque to clients (base64url), and checked when they come back, so that a
// cursor the API did not make is an input error on `after`, never a query that fails.

/** The highest stream version (the event store keeps versions in a 32-bit integer). */
const MAX_STREAM_VERSION = 2 ** 31 - 1;

/** The cursor of a commitments list entry: its code and id, which the list is ordered by. */
export const listCursor = (position: ListPosition): string =>
  Buffer.from(JSON.stringify([position.code, position.id])).toString('base64url');

/** @throws InvalidInputError on `after` for anything `listCursor` does not make. */
export function listPositionOf(cursor: string): ListPosition {
  try {
    const [code, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof code === 'string' && typeof id === 'string') return { code, id };
  } catch {
    // reported below
  }
  throw new InvalidInputError('after', 'is not a cursor of this list');
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
