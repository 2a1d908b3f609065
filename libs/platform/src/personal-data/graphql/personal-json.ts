import type { Actor } from '../../auth/actor.js';
import { isPersonalPlaceholder } from '../personal-data.js';
import type { PersonalDataStore } from '../personal-data.store.js';
import { personalValueOf } from './personal-values.js';

type Reader = {
  context: object;
  actor: Pick<Actor, 'role' | 'agencies'>;
  store: PersonalDataStore;
};

/**
 * JSON read from the log or a read model (a history entry's before and after, an event's
 * data) with each personal placeholder replaced by what `personalValueOf` shows this caller:
 * `{ value, erased, erasedAt, kind, subjectId, commitment }`. So a history shows a personal
 * value to whom may see it, and as erased, with the date, once it is. Other members are kept.
 */
export async function revealPersonalJson(
  json: unknown,
  reader: Reader,
  answeringAgency?: string,
): Promise<unknown> {
  if (isPersonalPlaceholder(json)) return personalValueOf(json, reader, answeringAgency);
  if (Array.isArray(json)) {
    return Promise.all(json.map((item) => revealPersonalJson(item, reader, answeringAgency)));
  }
  if (typeof json !== 'object' || json === null || json instanceof Date) return json;
  const entries = await Promise.all(
    Object.entries(json).map(
      async ([key, member]) =>
        [key, await revealPersonalJson(member, reader, answeringAgency)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** A history entry's field changes, their personal values shown as `revealPersonalJson` does. */
export function revealedChanges<Change extends { before: unknown; after: unknown }>(
  changes: readonly Change[],
  reader: Reader,
  answeringAgency?: string,
): Promise<Change[]> {
  return Promise.all(
    changes.map(async (change) => ({
      ...change,
      before: await revealPersonalJson(change.before, reader, answeringAgency),
      after: await revealPersonalJson(change.after, reader, answeringAgency),
    })),
  );
}
