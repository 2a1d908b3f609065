import { describe, expect, it } from '@jest/globals';
import type { PersonalDataStore, PersonalRef, RevealedValue } from '../personal-data.store.js';
import { revealedChanges, revealPersonalJson } from './personal-json.js';

const SUBJECT = '11111111-1111-4111-8111-111111111111';
const placeholder = (ref: string) => ({
  personal: { subject: SUBJECT, ref, commitment: `sha256:${'0'.repeat(64)}` },
});
const CONTACT = '22222222-2222-4222-8222-222222222222';
const GONE = '33333333-3333-4333-8333-333333333333';
const erasedAt = new Date('2026-04-01T00:00:00Z');

/** A store that holds one contact and one erased value, and counts its calls. */
function fakeStore() {
  const calls: number[] = [];
  const store = {
    reveal: async (refs: readonly PersonalRef[]): Promise<RevealedValue[]> => {
      calls.push(refs.length);
      return refs.map((ref) =>
        ref.ref === CONTACT
          ? {
              erased: false,
              ref: ref.ref,
              subjectId: SUBJECT,
              kind: 'contact',
              value: 'a@b.co',
              salt: 's',
            }
          : { erased: true, ref: ref.ref, subjectId: SUBJECT, erasedAt },
      );
    },
  };
  return { store: store as unknown as PersonalDataStore, calls };
}

describe('personal values inside JSON', () => {
  const data = { title: 'kept', contact: placeholder(CONTACT), list: [placeholder(GONE), 1] };

  it('shows each value as the caller may see it, and an erased one with its date', async () => {
    const { store, calls } = fakeStore();
    const admin = { context: {}, actor: { role: 'administrator' as const, agencies: [] }, store };
    const shown = (await revealPersonalJson(data, admin)) as {
      title: string;
      contact: unknown;
      list: unknown[];
    };
    expect(shown.title).toBe('kept');
    expect(shown.contact).toEqual(
      expect.objectContaining({
        value: 'a@b.co',
        erased: false,
        kind: 'contact',
        subjectId: SUBJECT,
      }),
    );
    expect(shown.list[0]).toEqual(
      expect.objectContaining({ value: null, erased: true, erasedAt, kind: null }),
    );
    expect(shown.list[1]).toBe(1);
    expect(calls).toEqual([2]); // one batch for the request
  });

  it('hides a contact from a caller who may not see it, in history changes too', async () => {
    const { store } = fakeStore();
    const anyone = { context: {}, actor: { role: 'anonymous' as const, agencies: [] }, store };
    const [change] = await revealedChanges(
      [{ path: 'contact', before: null, after: placeholder(CONTACT) }],
      anyone,
    );
    expect(change.before).toBeNull();
    expect(change.after).toEqual(
      expect.objectContaining({ value: null, erased: false, subjectId: null }),
    );
  });
});
