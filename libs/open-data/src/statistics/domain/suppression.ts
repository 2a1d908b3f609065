/**
 * Small-cell suppression: the one place that says how few people a published figure may
 * describe. A figure about people (evaluations, their ratings and answers; attendance) is
 * shown only when it describes at least `MINIMUM_PEOPLE_PER_CELL` of them; figures about
 * things (commitments, milestones, dialogue spaces) are never suppressed.
 */
export const MINIMUM_PEOPLE_PER_CELL = 5;

/**
 * Why a figure is not shown: `fewer_than_minimum` when it describes fewer people than the
 * minimum; `secondary` when it would let someone work out a figure suppressed for that reason
 * (the only other suppressed group of a table, recovered from the total by subtraction).
 */
export type SuppressionReason = 'fewer_than_minimum' | 'secondary';

/** A published figure about people: its value, or why it is withheld. */
export type PeopleCell =
  | { suppressed: false; value: number | null }
  | { suppressed: true; value: null; reason: SuppressionReason };

/** Whether a figure describing `people` people may be shown. */
export function isSmallCell(people: number): boolean {
  return people < MINIMUM_PEOPLE_PER_CELL;
}

/**
 * The cell for `value`, which describes `people` people. `value` null means there is
 * nothing to compute (a mean over no ratings); it is suppressed all the same when `people`
 * is under the minimum, so "none" and "few" look alike.
 */
export function peopleCell(value: number | null, people: number): PeopleCell {
  if (isSmallCell(people)) return { suppressed: true, value: null, reason: 'fewer_than_minimum' };
  return { suppressed: false, value };
}

export const SECONDARY: PeopleCell = { suppressed: true, value: null, reason: 'secondary' };

/**
 * Secondary suppression over one table's groups for one family of figures about the same
 * people (e.g. a group's evaluations: count, means, share answered). When exactly one group
 * is withheld for having too few people, the total minus the shown groups would give its
 * count back; so the shown group with the fewest people is withheld too.
 *
 * @param people how many people each group's figures describe, in table order
 * @returns the index of the group to withhold as well, or undefined when none need be
 */
export function secondarySuppression(people: readonly number[]): number | undefined {
  const small = people.filter(isSmallCell).length;
  if (small !== 1) return undefined;
  let chosen: number | undefined;
  people.forEach((count, index) => {
    if (isSmallCell(count)) return;
    if (chosen === undefined || count < people[chosen]) chosen = index;
  });
  return chosen;
}
