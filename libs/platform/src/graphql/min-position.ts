import type { CuentaContext } from '../auth/request-context.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import type { ReadPositions } from '../projections/read-positions.js';

/**
 * The request header that asks every read of the request to reflect the log at least up to
 * a global position (one a mutation returned): read-your-writes for any query of a request.
 */
export const MIN_POSITION_HEADER = 'X-Cuenta-Min-Position';

/**
 * The position the request's X-Cuenta-Min-Position header asks for; undefined without it
 * (and over graphql-ws, which has no request headers per operation).
 * @throws InvalidInputError naming the header when it is not a position (a whole number,
 *   0 or more)
 */
export function minPositionHeader(context: Pick<CuentaContext, 'req'>): number | undefined {
  const value = context.req?.headers[MIN_POSITION_HEADER.toLowerCase()];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value.trim();
  if (!/^\d{1,15}$/.test(text)) {
    throw new InvalidInputError(
      MIN_POSITION_HEADER,
      'must be a global position: a whole number, 0 or more',
    );
  }
  return Number(text);
}

/**
 * Waits until the read models hold what the caller asked for: a query's `minPosition`
 * argument and the request's X-Cuenta-Min-Position header, each reported under its own name.
 * @throws InvalidInputError for a malformed header; the errors of ReadPositions.reach
 */
export async function reachRequestedPosition(
  reads: Pick<ReadPositions, 'reach'>,
  minPosition: number | null | undefined,
  context: Pick<CuentaContext, 'req'>,
): Promise<void> {
  const header = minPositionHeader(context);
  if (minPosition !== undefined && minPosition !== null) {
    await reads.reach(minPosition, 'minPosition');
  }
  if (header !== undefined) await reads.reach(header, MIN_POSITION_HEADER);
}
