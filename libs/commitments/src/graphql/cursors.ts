import { InvalidInputError, jsonCursor, jsonCursorValue } from '#platform';
import type { ListPosition } from '../read-models/commitments/commitments.queries.js';

// The commitments list's cursors; history cursors are the platform's.
export { historyCursor, historyVersionOf } from '#platform';

/** The cursor of a commitments list entry: its code and id, which the list is ordered by. */
export const listCursor = (position: ListPosition): string =>
  jsonCursor([position.code, position.id]);

/** @throws InvalidInputError on `after` for anything `listCursor` does not make. */
export function listPositionOf(cursor: string): ListPosition {
  const value = jsonCursorValue(cursor);
  if (Array.isArray(value)) {
    const [code, id] = value as unknown[];
    if (typeof code === 'string' && typeof id === 'string') return { code, id };
  }
  throw new InvalidInputError('after', 'is not a cursor of this list');
}
