/**
 * Aggregated attendance as published: no cell may describe fewer than `MIN_CELL` people. A
 * count below it is published as suppressed, never as a number, and so is the smallest other
 * count of the same dimension when exactly one was suppressed there (otherwise the total minus
 * the others would give it away).
 */

export const MIN_CELL = 5;

export interface AttendanceCount {
  dimension: string;
  category: string;
  count: number;
}

export interface PublishedCount {
  dimension: string;
  category: string;
  /** Null when suppressed. */
  count: number | null;
  suppressed: boolean;
}

/** The total as dimension `total`, then each dimension's counts, each suppressed as above. */
export function publishedAttendance(
  total: number,
  counts: readonly AttendanceCount[],
): PublishedCount[] {
  const published: PublishedCount[] = [cell('total', 'total', total, total < MIN_CELL)];
  const dimensions = [...new Set(counts.map((c) => c.dimension))];
  for (const dimension of dimensions) {
    const cells = counts.filter((c) => c.dimension === dimension);
    const small = new Set(cells.filter((c) => c.count < MIN_CELL));
    if (small.size === 1 && cells.length > 1) {
      const next = cells
        .filter((c) => !small.has(c))
        .reduce((least, c) => (c.count < least.count ? c : least));
      small.add(next);
    }
    for (const c of cells) published.push(cell(dimension, c.category, c.count, small.has(c)));
  }
  return published;
}

function cell(dimension: string, category: string, count: number, suppressed: boolean) {
  return { dimension, category, count: suppressed ? null : count, suppressed };
}
