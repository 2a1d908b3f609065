import { sameJson } from '../validation/json.js';

/** One changed field; `null` on a side where the field is absent or null. */
export interface FieldChange {
  /**
   * An RFC 6901 JSON Pointer into the diffed value (`/milestones/m3/plannedEnd`), except that
   * list items with an `id` are addressed by that id, not by position, so a path keeps naming
   * the same milestone or budget line however the list grows.
   */
  path: string;
  before: unknown;
  after: unknown;
}

type Fields = Record<string, unknown>;

/**
 * The fields that differ between two JSON objects, in the order their keys come; `null`
 * stands for an object that does not exist yet, and a field that is null equals one that is
 * absent. An object that appears or disappears as a whole (a new milestone) is one change,
 * not one per member; a list of plain values (offices, policy areas) changes as one value.
 */
export function diffFields(before: Fields | null, after: Fields | null): FieldChange[] {
  const changes: FieldChange[] = [];
  diffObjects(before ?? {}, after ?? {}, '', changes);
  return changes;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasIds(values: unknown[]): values is (Fields & { id: string })[] {
  return values.every((v) => isObject(v) && typeof v.id === 'string');
}

function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function diffValues(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (sameJson(before ?? null, after ?? null)) return;
  if (isObject(before) && isObject(after)) return diffObjects(before, after, path, out);
  if (Array.isArray(before) && Array.isArray(after)) {
    const items = [...before, ...after];
    if (items.length > 0 && hasIds(items)) return diffKeyed(before, after, path, out);
    if (items.some((item) => typeof item === 'object' && item !== null)) {
      return diffIndexed(before, after, path, out);
    }
  }
  out.push({ path, before: before ?? null, after: after ?? null });
}

function diffObjects(before: Fields, after: Fields, path: string, out: FieldChange[]): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) diffValues(before[key], after[key], `${path}/${escape(key)}`, out);
}

function diffKeyed(
  before: (Fields & { id: string })[],
  after: (Fields & { id: string })[],
  path: string,
  out: FieldChange[],
): void {
  const ids = [...new Set([...before.map((item) => item.id), ...after.map((item) => item.id)])];
  for (const id of ids) {
    diffValues(
      before.find((item) => item.id === id),
      after.find((item) => item.id === id),
      `${path}/${escape(id)}`,
      out,
    );
  }
}

function diffIndexed(before: unknown[], after: unknown[], path: string, out: FieldChange[]): void {
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    diffValues(before[i], after[i], `${path}/${i}`, out);
  }
}
