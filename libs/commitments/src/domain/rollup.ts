import { fail } from '#kernel';

/**
 * Roll-ups: a commitment's progress from its milestones, and an action plan's from its
 * commitments, by one formula (docs/open-data/action-plans.md):
 *
 *     value = round2( Σ weightᵢ × progressᵢ / Σ weightᵢ )   over the counted inputs
 *
 * where `round2` rounds to two decimals, halves up. Weights are whole numbers from 1 to
 * `MAX_WEIGHT`, 1 unless a steward (milestones) or an administrator (commitments) set them.
 * Progress is in percent. The arithmetic is exact: progress is carried in hundredths of a
 * percent (whole numbers), so the sums are whole numbers and only the last division rounds.
 * A plan's inputs are its commitments' published values (already rounded), so anyone can
 * recompute both levels from what the API and the open data show.
 */
export const ROLLUP_FORMULA =
  'value = round(sum(weight * progress) / sum(weight), 2 decimals, halves up), over the ' +
  'counted inputs; no counted input: no value';

/** The largest weight a milestone or commitment may be given. */
export const MAX_WEIGHT = 1000;

/** The weight of a milestone or commitment no one has weighted. */
export const DEFAULT_WEIGHT = 1;

/** One input of a roll-up: a milestone of a commitment, or a commitment of a plan. */
export interface RollupInput {
  id: string;
  weight: number;
  /** Percent, with at most two decimals. */
  progress: number;
}

/** Why an input is left out of a roll-up. */
export type RollupExclusionReason =
  /** A milestone that was cancelled. */
  | 'cancelled'
  /** A commitment still a draft: not yet part of the published plan. */
  | 'draft'
  /** A commitment withdrawn from the plan. */
  | 'withdrawn'
  /** A commitment with no milestone that counts, so it has no progress of its own. */
  | 'no_progress';

export interface RollupExclusion {
  id: string;
  reason: RollupExclusionReason;
}

export interface Rollup {
  /** Percent with two decimals; absent when no input counts. */
  value?: number;
  /** The counted inputs, in the order given. */
  inputs: RollupInput[];
  /** The inputs left out, and why. */
  excluded: RollupExclusion[];
}

/** The weighted mean of the counted inputs, rounded to two decimals (halves up), exactly. */
export function weightedMean(inputs: readonly RollupInput[]): number | undefined {
  let weights = 0;
  let sum = 0;
  for (const input of inputs) {
    weights += input.weight;
    sum += input.weight * Math.round(input.progress * 100);
  }
  if (weights === 0) return undefined;
  // sum / weights in hundredths, rounded half up with whole numbers only.
  const hundredths = Math.floor((2 * sum + weights) / (2 * weights));
  return hundredths / 100;
}

/** The milestones of a commitment as a roll-up needs them. */
export interface MilestoneForRollup {
  id: string;
  status: string;
  /** Whole percent; 100 once completed. */
  progress: number;
  weight?: number;
}

/** A commitment's progress: the weighted mean of its milestones that are not cancelled. */
export function commitmentRollup(milestones: readonly MilestoneForRollup[]): Rollup {
  const inputs: RollupInput[] = [];
  const excluded: RollupExclusion[] = [];
  for (const m of milestones) {
    if (m.status === 'cancelled') excluded.push({ id: m.id, reason: 'cancelled' });
    else inputs.push({ id: m.id, weight: m.weight ?? DEFAULT_WEIGHT, progress: m.progress });
  }
  return rollupOf(inputs, excluded);
}

/** A plan's commitment as a roll-up needs it: its status and its own roll-up's value. */
export interface CommitmentForRollup {
  id: string;
  status: string;
  progress?: number;
}

/**
 * A plan's progress: the weighted mean of its commitments' values, leaving out drafts,
 * withdrawn commitments and commitments with no value. `weights` holds the plan's weights by
 * commitment id (others weigh `DEFAULT_WEIGHT`).
 */
export function planRollup(
  commitments: readonly CommitmentForRollup[],
  weights: Readonly<Record<string, number>> = {},
): Rollup {
  const inputs: RollupInput[] = [];
  const excluded: RollupExclusion[] = [];
  for (const c of commitments) {
    if (c.status === 'draft' || c.status === 'withdrawn') {
      excluded.push({ id: c.id, reason: c.status });
    } else if (c.progress === undefined) {
      excluded.push({ id: c.id, reason: 'no_progress' });
    } else {
      inputs.push({ id: c.id, weight: weights[c.id] ?? DEFAULT_WEIGHT, progress: c.progress });
    }
  }
  return rollupOf(inputs, excluded);
}

function rollupOf(inputs: RollupInput[], excluded: RollupExclusion[]): Rollup {
  const value = weightedMean(inputs);
  return value === undefined ? { inputs, excluded } : { value, inputs, excluded };
}

/** A weight as given: a whole number from 1 to MAX_WEIGHT. */
export function weight(value: unknown, field: string): number {
  if (value === undefined || value === null) fail(field, 'required');
  if (typeof value !== 'number' || Number.isNaN(value)) {
    fail(field, 'format', `${field} must be a number`);
  }
  if (!Number.isInteger(value)) fail(field, 'integer', `${field} must be a whole number`);
  if (value < 1 || value > MAX_WEIGHT) {
    fail(field, 'range', `${field} must be from 1 to ${MAX_WEIGHT}`);
  }
  return value;
}
