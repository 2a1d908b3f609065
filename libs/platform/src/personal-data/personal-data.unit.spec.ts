import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { canonicalize } from '#ledger';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { SensitiveDataWithoutAuthorizationError } from './personal-data.errors.js';
import {
  checkDeclaration,
  fieldName,
  isPersonalPlaceholder,
  personalCommitment,
  sealEventData,
  verifyPersonalValue,
  type PersonalDataDeclaration,
  type PersonalRandom,
} from './personal-data.js';

const declaration: PersonalDataDeclaration = {
  CommentPosted: { '/comment': 'comment', '/contact': 'contact', '/groups': 'sensitive' },
  Nested: { '/author/name': 'name', '/a~1b': 'contact' },
};
const subjectId = '11111111-2222-4333-8444-555555555555';
const eventId = '99999999-8888-4777-8666-555555555555';
const authorization = {
  purpose: 'answer the citizen',
  noticeHash: `sha256:${'ab'.repeat(32)}`,
  givenAt: '2026-12-01T10:00:00Z',
};

/** Ids 00000000-0000-4000-8000-00000000000<n> and salts of the byte n, in order. */
function counting(): PersonalRandom {
  let ids = 0;
  let salts = 0;
  return {
    id: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    salt: () => new Uint8Array(32).fill(++salts),
  };
}

describe('personalCommitment', () => {
  it('is SHA-256 over the salt followed by the canonical JSON bytes, as sha256:<hex>', () => {
    const salt = new Uint8Array(32).fill(7);
    const value = { b: 'Cañaveral', a: [1, 2] };
    const expected = createHash('sha256')
      .update(salt)
      .update(Buffer.from('{"a":[1,2],"b":"Cañaveral"}', 'utf8'))
      .digest('hex');
    expect(personalCommitment(value, salt)).toBe(`sha256:${expected}`);
    expect(canonicalize(value)).toBe('{"a":[1,2],"b":"Cañaveral"}');
  });

  it('differs for the same value under another salt, so a guessed value cannot be checked', () => {
    const one = personalCommitment('afrodescendiente', new Uint8Array(32).fill(1));
    const two = personalCommitment('afrodescendiente', new Uint8Array(32).fill(2));
    expect(one).not.toBe(two);
  });

  it('refuses a salt that is not 32 bytes', () => {
    expect(() => personalCommitment('x', new Uint8Array(16))).toThrow(RangeError);
  });
});

describe('verifyPersonalValue', () => {
  const salt = new Uint8Array(32).fill(9);
  const commitment = personalCommitment({ email: 'ana@example.org' }, salt);

  it('accepts the value with its salt, as bytes or as the base64url of a receipt', () => {
    expect(verifyPersonalValue({ email: 'ana@example.org' }, salt, commitment)).toBe(true);
    const base64url = Buffer.from(salt).toString('base64url');
    expect(verifyPersonalValue({ email: 'ana@example.org' }, base64url, commitment)).toBe(true);
  });

  it('refuses an altered value, another salt, or a malformed commitment', () => {
    expect(verifyPersonalValue({ email: 'ana@example.com' }, salt, commitment)).toBe(false);
    expect(verifyPersonalValue({ email: 'ana@example.org' }, new Uint8Array(32), commitment)).toBe(
      false,
    );
    expect(verifyPersonalValue({ email: 'ana@example.org' }, salt, commitment.slice(0, 20))).toBe(
      false,
    );
    expect(verifyPersonalValue('x', 'short', commitment)).toBe(false);
  });
});

describe('sealEventData', () => {
  it('replaces each declared member with a placeholder and takes the value out', () => {
    const data = { title: 'Vía a Turbaco', comment: 'Falta el andén', contact: { phone: '300' } };
    const sealed = sealEventData({
      eventId,
      eventType: 'CommentPosted',
      data,
      declaration,
      subjectId,
      random: counting(),
    });
    const salt1 = new Uint8Array(32).fill(1);
    const salt2 = new Uint8Array(32).fill(2);
    expect(sealed.data).toEqual({
      title: 'Vía a Turbaco',
      comment: {
        personal: {
          subject: subjectId,
          ref: '00000000-0000-4000-8000-000000000001',
          commitment: personalCommitment('Falta el andén', salt1),
        },
      },
      contact: {
        personal: {
          subject: subjectId,
          ref: '00000000-0000-4000-8000-000000000002',
          commitment: personalCommitment({ phone: '300' }, salt2),
        },
      },
    });
    expect(sealed.values).toEqual([
      {
        ref: '00000000-0000-4000-8000-000000000001',
        eventId,
        path: '/comment',
        kind: 'comment',
        value: 'Falta el andén',
        salt: salt1,
        commitment: personalCommitment('Falta el andén', salt1),
      },
      {
        ref: '00000000-0000-4000-8000-000000000002',
        eventId,
        path: '/contact',
        kind: 'contact',
        value: { phone: '300' },
        salt: salt2,
        commitment: personalCommitment({ phone: '300' }, salt2),
      },
    ]);
    expect(data.comment).toBe('Falta el andén'); // the caller's object is left as it was
    expect(JSON.stringify(sealed.data)).not.toContain('Falta el andén');
    expect(isPersonalPlaceholder(sealed.data.comment)).toBe(true);
  });

  it('records the authorization, normalised, in every placeholder', () => {
    const sealed = sealEventData({
      eventId,
      eventType: 'CommentPosted',
      data: { groups: ['víctimas del conflicto armado'] },
      declaration,
      subjectId,
      authorization,
      random: counting(),
    });
    expect(sealed.data.groups).toEqual({
      personal: {
        subject: subjectId,
        ref: '00000000-0000-4000-8000-000000000001',
        commitment: personalCommitment(
          ['víctimas del conflicto armado'],
          new Uint8Array(32).fill(1),
        ),
        authorization: { ...authorization, givenAt: '2026-12-01T10:00:00.000Z' },
      },
    });
  });

  it('refuses a sensitive value without authorization, naming the field and not the value', () => {
    const seal = () =>
      sealEventData({
        eventId,
        eventType: 'CommentPosted',
        data: { comment: 'ok', groups: ['MARKER-afro-123'] },
        declaration,
        subjectId,
      });
    expect(seal).toThrow(SensitiveDataWithoutAuthorizationError);
    try {
      seal();
    } catch (error) {
      expect((error as SensitiveDataWithoutAuthorizationError).field).toBe('groups');
      expect((error as Error).message).not.toContain('MARKER');
      expect((error as SensitiveDataWithoutAuthorizationError).details()).toEqual({
        field: 'groups',
      });
    }
  });

  it('refuses a malformed authorization, naming its member', () => {
    const seal = (bad: object) =>
      sealEventData({
        eventId,
        eventType: 'CommentPosted',
        data: { groups: ['x'] },
        declaration,
        subjectId,
        authorization: { ...authorization, ...bad },
      });
    const field = (bad: object) => {
      try {
        seal(bad);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).field;
      }
      return 'accepted';
    };
    expect(field({ purpose: ' ' })).toBe('authorization.purpose');
    expect(field({ noticeHash: 'sha256:ABC' })).toBe('authorization.noticeHash');
    expect(field({ givenAt: 'yesterday' })).toBe('authorization.givenAt');
    expect(field({})).toBe('accepted');
  });

  it('leaves absent and null members, other event types and undeclared members alone', () => {
    const data = { comment: null, other: 'x' };
    const sealed = sealEventData({
      eventId,
      eventType: 'CommentPosted',
      data,
      declaration,
      subjectId,
    });
    expect(sealed).toEqual({ data, values: [] });
    const unlisted = sealEventData({
      eventId,
      eventType: 'CommitmentRegistered',
      data: { comment: 'public act' },
      declaration,
      subjectId,
    });
    expect(unlisted).toEqual({ data: { comment: 'public act' }, values: [] });
  });

  it('follows nested pointers, with ~1 for a slash, copying only the containers on the way', () => {
    const data = { author: { name: 'Ana', role: 'vecina' }, 'a/b': 'ana@x.co', keep: { k: 1 } };
    const sealed = sealEventData({
      eventId,
      eventType: 'Nested',
      data,
      declaration,
      subjectId,
      random: counting(),
    });
    expect(sealed.values.map((value) => [value.path, value.value])).toEqual([
      ['/author/name', 'Ana'],
      ['/a~1b', 'ana@x.co'],
    ]);
    expect((sealed.data.author as Record<string, unknown>).role).toBe('vecina');
    expect(isPersonalPlaceholder((sealed.data.author as Record<string, unknown>).name)).toBe(true);
    expect(sealed.data.keep).toBe(data.keep);
    expect(data.author.name).toBe('Ana');
  });
});

describe('checkDeclaration and fieldName', () => {
  it('accepts JSON Pointers to members with known kinds', () => {
    expect(checkDeclaration(declaration)).toBe(declaration);
  });

  it('refuses the whole data, a pointer without a slash, or an unknown kind', () => {
    expect(() => checkDeclaration({ E: { '': 'name' } })).toThrow('"" is not a JSON Pointer');
    expect(() => checkDeclaration({ E: { name: 'name' } })).toThrow('"name" is not a JSON Pointer');
    expect(() => checkDeclaration({ E: { '/x': 'secret' as 'name' } })).toThrow(
      '"secret" is not one of contact, sensitive, comment, name',
    );
  });

  it('names a pointer as the API names fields', () => {
    expect(fieldName('/contact/email')).toBe('contact.email');
    expect(fieldName('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});

describe('isPersonalPlaceholder', () => {
  it('accepts only the exact shape', () => {
    const personal = { subject: subjectId, ref: eventId, commitment: `sha256:${'0'.repeat(64)}` };
    expect(isPersonalPlaceholder({ personal })).toBe(true);
    expect(isPersonalPlaceholder({ personal, extra: 1 })).toBe(false);
    expect(isPersonalPlaceholder({ personal: { ...personal, ref: 'x' } })).toBe(false);
    expect(isPersonalPlaceholder('text')).toBe(false);
  });
});
