import {
  fail,
  identifier,
  list,
  object,
  oneOf,
  optionalText,
  text,
  TEXT_LIMITS,
  unique,
} from '#kernel';
import { isTerritoryId } from '../../domain/territories.js';
import {
  CRITERIA,
  REPORT_REASONS,
  TARGET_KINDS,
  type EvaluationTarget,
  type Ratings,
  type ReportReason,
} from './evaluation.events.js';

/** The sizes of an evaluation's free fields. */
export const EVALUATION_LIMITS = {
  comment: 4_000,
  contact: 300,
  groups: 20,
  group: 100,
} as const;

/** The target as the input names it; which ids it needs depends on its kind. */
export function evaluationTarget(value: unknown): EvaluationTarget {
  const target = object(value, 'target');
  const kind = oneOf(target.kind, TARGET_KINDS, 'target.kind');
  if (kind === 'dialogue_space') {
    return { kind, dialogueSpaceId: identifier(target.dialogueSpaceId, 'target.dialogueSpaceId') };
  }
  const commitmentId = identifier(target.commitmentId, 'target.commitmentId');
  if (kind === 'commitment') return { kind, commitmentId };
  return { kind, commitmentId, milestoneId: identifier(target.milestoneId, 'target.milestoneId') };
}

/** Ratings of 1 to 5 on the named criteria; at least one. */
export function ratings(value: unknown): Ratings {
  const given = object(value, 'ratings');
  const result: Ratings = {};
  for (const [criterion, rating] of Object.entries(given)) {
    if (!(CRITERIA as readonly string[]).includes(criterion)) {
      fail(
        `ratings.${criterion}`,
        'not_a_field',
        `ratings.${criterion} is not one of ${CRITERIA.join(', ')}`,
      );
    }
    const field = `ratings.${criterion}`;
    if (typeof rating !== 'number' || !Number.isInteger(rating)) {
      fail(field, 'integer', `${field} must be a whole number from 1 to 5`);
    }
    if (rating < 1 || rating > 5) fail(field, 'range', `${field} must be from 1 to 5`);
    result[criterion as keyof Ratings] = rating;
  }
  if (Object.keys(result).length === 0) {
    fail('ratings', 'required', `ratings needs at least one of ${CRITERIA.join(', ')}`);
  }
  return result;
}

export function territory(value: unknown): string {
  const id = text(value, 'territory', TEXT_LIMITS.name);
  if (!isTerritoryId(id)) {
    fail('territory', 'one_of', `territory ${id} is not in the jurisdiction's list`);
  }
  return id;
}

/** The citizen's own words; personal data. */
export function comment(value: unknown): string | undefined {
  return optionalText(value, 'comment', EVALUATION_LIMITS.comment);
}

/** How to send the answer by another channel (an e-mail address, a phone); personal data. */
export function contact(value: unknown): string | undefined {
  return optionalText(value, 'contact', EVALUATION_LIMITS.contact);
}

/** Self-declared inclusion groups; sensitive personal data. Empty: none declared. */
export function groups(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = list(value, 'groups', EVALUATION_LIMITS.groups).map((item, i) =>
    text(item, `groups.${i}`, EVALUATION_LIMITS.group),
  );
  unique(items, 'groups');
  return items.length === 0 ? undefined : items;
}

export function reportReason(value: unknown, field = 'reason'): ReportReason {
  return oneOf(value, REPORT_REASONS, field);
}
