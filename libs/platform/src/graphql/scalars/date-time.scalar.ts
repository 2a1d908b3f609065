import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { RefusedValue } from '../../errors/input-text.js';
import { isCalendarDate } from '#kernel';

// RFC 3339 date-time: seconds, an optional fraction, and a zone (Z or an offset).
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

const SHAPE = 'must be a date-time with a zone, such as 2023-03-01T00:00:00-05:00 (RFC 3339)';

/** A DateTime that names no instant: refused, with its field, by the input pipe. */
class InvalidInstant implements RefusedValue {
  constructor(readonly refusal: string) {}
}

/**
 * The instant `text` names, or why it names none. The day must exist, with the rule the
 * date-only fields use (`isCalendarDate`: no 30 February, no month 13), and so must the
 * time: hour 00 to 23, minute and second 00 to 59 (no leap second: the log's clock has
 * none), offset hours 00 to 23. Never rolls over into another day, as `new Date` does.
 */
export function parseInstant(text: string): Date | InvalidInstant {
  const match = DATE_TIME.exec(text);
  if (match === null) return new InvalidInstant(SHAPE);
  const [, day, hour, minute, second, offsetHour, offsetMinute] = match;
  if (!isCalendarDate(day)) return new InvalidInstant(`names a day that does not exist: ${day}`);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return new InvalidInstant(`names a time that does not exist: ${hour}:${minute}:${second}`);
  }
  if (offsetHour !== undefined && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) {
    return new InvalidInstant(`has an offset that does not exist: ${offsetHour}:${offsetMinute}`);
  }
  const instant = new Date(text.toUpperCase());
  return Number.isNaN(instant.getTime()) ? new InvalidInstant(SHAPE) : instant;
}

/**
 * GraphQL's DateTime, in place of @nestjs/graphql's (which reads `2024-02-30T10:00:00Z` as
 * 1 March). A string that names no instant parses to a refusal that the input pipe reports
 * as INVALID_INPUT naming the field (`input.occurredAt`), for literals and variables alike;
 * a value that is not a string at all is GraphQL's own type error.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description:
    'An instant: an RFC 3339 date-time with a zone, such as 2023-03-01T00:00:00-05:00 or ' +
    '2023-03-01T05:00:00.000Z. It must exist: 2024-02-30 or 24:00 is refused with ' +
    'INVALID_INPUT. Answers are always at UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : null),
  parseValue(value) {
    if (typeof value !== 'string') throw new GraphQLError(`DateTime ${SHAPE}`);
    return parseInstant(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(`DateTime ${SHAPE}`, { nodes: ast });
    return parseInstant(ast.value);
  },
});
