import {
  calendarDate,
  fail,
  identifier,
  list,
  object,
  oneOf,
  optionalText,
  percent,
  text,
  textList,
  TEXT_LIMITS,
  unique,
  type CalendarDate,
} from '#kernel';
import { isTerritoryId } from '../../domain/territories.js';
import { dialogueRuleBroken } from './dialogue-space.errors.js';
import {
  DIALOGUE_CHANNELS,
  DIALOGUE_SPACE_KINDS,
  type ActionEvidence,
  type DialogueSpaceFields,
  type GroupCount,
  type Minutes,
  type TerritoryCount,
  type Timestamp,
} from './dialogue-space.events.js';

// Input checks of dialogue spaces: each takes the raw value and the field's path, and returns
// the value as recorded, or throws InvalidCommand naming the field.

const LIMITS = {
  agendaTopics: 50,
  commitments: 50,
  groupCounts: 200,
  territoryCounts: 100,
  evidence: 20,
  url: 2_000,
  /** A head count no space reaches; guards against typing errors and overflow. */
  attendees: 1_000_000,
} as const;

const SHA256 = /^[0-9a-f]{64}$/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** An instant given as a Date or ISO-8601 text, recorded as ISO-8601 UTC. */
export function instant(value: unknown, field: string): Timestamp {
  if (value === undefined || value === null || value === '') fail(field, 'required');
  const date =
    value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) fail(field, 'valid_timestamp');
  return date.toISOString();
}

export function territory(value: unknown, field: string): string {
  const id = text(value, field, TEXT_LIMITS.name);
  if (!isTerritoryId(id)) {
    throw dialogueRuleBroken(
      field,
      'unknown_territory',
      `${field} is not a territory of the jurisdiction: ${id}`,
    );
  }
  return id;
}

/** The space's own fields, checked; `now` bounds the notice. */
export function dialogueSpaceFields(data: Record<string, unknown>, now: Date): DialogueSpaceFields {
  const kind = oneOf(data.kind, DIALOGUE_SPACE_KINDS, 'kind');
  const title = text(data.title, 'title', TEXT_LIMITS.name);
  const convenedAt = instant(data.convenedAt, 'convenedAt');
  const startsAt = instant(data.startsAt, 'startsAt');
  if (convenedAt > startsAt) {
    throw dialogueRuleBroken(
      'convenedAt',
      'not_after_start',
      'convenedAt must not be after startsAt',
    );
  }
  if (new Date(convenedAt).getTime() > now.getTime()) {
    throw dialogueRuleBroken(
      'convenedAt',
      'not_in_future',
      'convenedAt must not be in the future: the notice is given when recorded',
    );
  }
  const place = text(data.place, 'place', TEXT_LIMITS.name);
  const channel = oneOf(data.channel, DIALOGUE_CHANNELS, 'channel');
  const territoryId =
    data.territoryId === undefined ? undefined : territory(data.territoryId, 'territoryId');
  const agenda = textList(data.agenda, 'agenda', 1_000);
  if (agenda.length === 0) fail('agenda', 'required', 'agenda needs at least one topic');
  if (agenda.length > LIMITS.agendaTopics) {
    fail('agenda', 'too_many', `agenda has over ${LIMITS.agendaTopics} topics`);
  }
  const commitmentIds = list(data.commitmentIds, 'commitmentIds', LIMITS.commitments).map((id, i) =>
    identifier(id, `commitmentIds.${i}`),
  );
  if (commitmentIds.length === 0) {
    fail('commitmentIds', 'required', 'commitmentIds needs at least one commitment');
  }
  unique(commitmentIds, 'commitmentIds');
  return {
    kind,
    title,
    convenedAt,
    startsAt,
    place,
    channel,
    ...(territoryId === undefined ? {} : { territoryId }),
    agenda,
    commitmentIds,
  };
}

function count(value: unknown, field: string): number {
  if (value === undefined || value === null) fail(field, 'required');
  if (typeof value !== 'number' || Number.isNaN(value))
    fail(field, 'format', `${field} must be a number`);
  if (!Number.isInteger(value)) fail(field, 'integer');
  if (value < 0 || value > LIMITS.attendees) {
    fail(field, 'range', `${field} must be from 0 to ${LIMITS.attendees}`);
  }
  return value;
}

/** The head count. */
export function total(value: unknown): number {
  return count(value, 'total');
}

/**
 * Counts by group: each dimension's counts add up to at most `total` (attendees may decline
 * to say), and a category appears once in its dimension.
 */
export function groupCounts(value: unknown, totalCount: number): GroupCount[] {
  if (value === undefined) return [];
  const counts = list(value, 'byGroup', LIMITS.groupCounts).map((item, i) => {
    const field = `byGroup.${i}`;
    const entry = object(item, field);
    return {
      dimension: identifier(entry.dimension, `${field}.dimension`),
      category: identifier(entry.category, `${field}.category`),
      count: count(entry.count, `${field}.count`),
    };
  });
  unique(
    counts.map((c) => `${c.dimension}/${c.category}`),
    'byGroup',
  );
  const sums = new Map<string, number>();
  counts.forEach((c, i) => {
    const sum = (sums.get(c.dimension) ?? 0) + c.count;
    sums.set(c.dimension, sum);
    if (sum > totalCount) {
      throw dialogueRuleBroken(
        `byGroup.${i}.count`,
        'exceeds_total',
        `the counts of ${c.dimension} add up to more than the total of ${totalCount}`,
      );
    }
  });
  return counts;
}

/** Counts by territory, each territory once, adding up to at most `total`. */
export function territoryCounts(value: unknown, totalCount: number): TerritoryCount[] {
  if (value === undefined) return [];
  const counts = list(value, 'byTerritory', LIMITS.territoryCounts).map((item, i) => {
    const field = `byTerritory.${i}`;
    const entry = object(item, field);
    return {
      territoryId: territory(entry.territoryId, `${field}.territoryId`),
      count: count(entry.count, `${field}.count`),
    };
  });
  unique(
    counts.map((c) => c.territoryId),
    'byTerritory',
  );
  let sum = 0;
  counts.forEach((c, i) => {
    sum += c.count;
    if (sum > totalCount) {
      throw dialogueRuleBroken(
        `byTerritory.${i}.count`,
        'exceeds_total',
        `the counts by territory add up to more than the total of ${totalCount}`,
      );
    }
  });
  return counts;
}

function link(value: unknown, field: string): string {
  const url = text(value, field, LIMITS.url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    fail(field, 'format', `${field} must be an http or https URL`);
  }
  return url;
}

function hashAndType(entry: Record<string, unknown>, field: string) {
  const sha256 = text(entry.sha256, `${field}.sha256`, 64);
  if (!SHA256.test(sha256)) {
    fail(`${field}.sha256`, 'format', `${field}.sha256 must be 64 lower-case hex digits`);
  }
  const mediaType = text(entry.mediaType, `${field}.mediaType`, 255);
  if (!MEDIA_TYPE.test(mediaType)) {
    fail(`${field}.mediaType`, 'format', `${field}.mediaType must be a lower-case media type`);
  }
  return { sha256, mediaType };
}

export function minutes(value: unknown): Minutes | undefined {
  if (value === undefined) return undefined;
  const entry = object(value, 'minutes');
  return { ...hashAndType(entry, 'minutes'), url: link(entry.url, 'minutes.url') };
}

export function actionEvidence(value: unknown): ActionEvidence[] {
  if (value === undefined) return [];
  return list(value, 'evidence', LIMITS.evidence).map((item, i) => {
    const field = `evidence.${i}`;
    const entry = object(item, field);
    return {
      ...hashAndType(entry, field),
      url: link(entry.url, `${field}.url`),
      description: text(entry.description, `${field}.description`, 1_000),
    };
  });
}

export function dueDate(value: unknown): CalendarDate {
  return calendarDate(value, 'dueDate');
}

export { identifier, optionalText, percent, text };
