/**
 * The Borda count, as Cuenta publishes it (docs/participation/prioritization.md), so that
 * anyone can count a prioritization by hand and get the same result:
 *
 * 1. With n candidate topics, a ballot that puts a topic in place r (1 for the first) gives
 *    it n - r points. A ballot may rank only some of the topics: those it leaves out get 0
 *    points from it (as the last place of a full ranking does).
 * 2. A topic's score is the sum of its points over every ballot counted.
 * 3. Topics are ordered by score, highest first; between equal scores, the topic placed
 *    first on more ballots goes first. Topics still equal on both share the same rank and
 *    are listed in the order the exercise published them.
 * 4. A topic's rank is 1 plus the number of topics strictly ahead of it.
 *
 * Pure: no I/O and no clock.
 */

/** The counting method a prioritization publishes. */
export const BORDA = 'borda' as const;
export type CountingMethod = typeof BORDA;

/** The published rule, recorded with each exercise so its result can be checked against it. */
export const BORDA_RULE =
  'Borda count: with n candidate topics, a ballot gives the topic it ranks in place r ' +
  '(1 = first) n - r points; topics it does not rank get 0 points from it. Scores are the ' +
  "sums over the ballots counted (each participant's last ballot). Order: higher score " +
  'first; on equal scores, more first places first; topics equal on both share a rank and ' +
  'are listed in the published order of the candidates. Rank = 1 + topics strictly ahead.';

/** One topic's line in a count. */
export interface BordaStanding {
  topicId: string;
  points: number;
  /** How many ballots put it first: the first tie-break. */
  firstPlaces: number;
  /** 1 + the number of topics strictly ahead of it; equal topics share it. */
  rank: number;
}

/**
 * Counts `ballots` over the candidates `topics` (in their published order) with the Borda
 * rule above. Precondition: each ballot ranks distinct topics of `topics` (the decider
 * refuses any other ballot).
 */
export function bordaCount(
  topics: readonly string[],
  ballots: readonly (readonly string[])[],
): BordaStanding[] {
  const n = topics.length;
  const points = new Map<string, number>(topics.map((id) => [id, 0]));
  const firsts = new Map<string, number>(topics.map((id) => [id, 0]));
  for (const ranking of ballots) {
    ranking.forEach((topicId, i) => {
      points.set(topicId, (points.get(topicId) ?? 0) + (n - (i + 1)));
      if (i === 0) firsts.set(topicId, (firsts.get(topicId) ?? 0) + 1);
    });
  }
  const lines = topics.map((topicId) => ({
    topicId,
    points: points.get(topicId) ?? 0,
    firstPlaces: firsts.get(topicId) ?? 0,
  }));
  const ahead = (a: (typeof lines)[number], b: (typeof lines)[number]) =>
    a.points > b.points || (a.points === b.points && a.firstPlaces > b.firstPlaces);
  const ranked = lines.map((line) => ({
    ...line,
    rank: 1 + lines.filter((other) => ahead(other, line)).length,
  }));
  // Stable sort: equal ranks keep the published order.
  return ranked.sort((a, b) => a.rank - b.rank);
}

/** Whether two counts say the same: the same topics, points, first places and ranks, in order. */
export function sameStandings(a: readonly BordaStanding[], b: readonly BordaStanding[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (line, i) =>
        line.topicId === b[i].topicId &&
        line.points === b[i].points &&
        line.firstPlaces === b[i].firstPlaces &&
        line.rank === b[i].rank,
    )
  );
}
