import { InvalidInputError, jsonCursor, jsonCursorValue } from '#platform';

/** The cursor of an evaluations list entry: the log position of its submission. */
export const evaluationCursor = (position: number): string => jsonCursor({ e: position });

/** @throws InvalidInputError on `after` for anything `evaluationCursor` does not make. */
export function evaluationPositionOf(cursor: string): number {
  const value = jsonCursorValue(cursor) as { e?: unknown } | undefined;
  const position = value?.e;
  if (typeof position === 'number' && Number.isSafeInteger(position) && position >= 0) {
    return position;
  }
  throw new InvalidInputError('after', 'is not a cursor of this list');
}
