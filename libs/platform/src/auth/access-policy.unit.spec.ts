import { describe, expect, it } from '@jest/globals';
import { actingRole, anonymousIdentity, eventActor, type Identity } from './actor.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import { authorize } from './authorize.js';
import { claimValues, readClaim, writeClaim } from './claims.js';
import { requireAgency } from './policies.js';
import type { Role } from './roles.js';

const caller = (roles: Role[], agencies: string[] = []): Identity => ({
  subject: 'ana',
  authenticated: true,
  roles,
  agencies,
});

function refusal(run: () => unknown): string {
  try {
    run();
    return 'allowed';
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof UnauthenticatedError) {
      return `${error.code} ${error.reason}`;
    }
    throw error;
  }
}

describe('authorize', () => {
  it('admits everyone to an operation open to anonymous', () => {
    expect(authorize(anonymousIdentity('anon:x'), ['anonymous'], 'Query.health').role).toBe(
      'anonymous',
    );
    expect(authorize(caller(['oversight']), ['anonymous'], 'Query.health').role).toBe('oversight');
  });

  it('asks an anonymous caller for a token, and tells a token holder its role is not enough', () => {
    expect(refusal(() => authorize(anonymousIdentity('anon:x'), ['moderator'], 'M.x'))).toBe(
      'UNAUTHENTICATED TOKEN_REQUIRED',
    );
    expect(refusal(() => authorize(caller(['steward']), ['moderator'], 'M.x'))).toBe(
      'FORBIDDEN ROLE',
    );
  });

  it('refuses everyone, administrators too, when there is no policy', () => {
    expect(refusal(() => authorize(caller(['administrator']), undefined, 'Q.x'))).toBe(
      'FORBIDDEN NO_POLICY',
    );
    expect(refusal(() => authorize(caller(['administrator']), [], 'Q.x'))).toBe(
      'FORBIDDEN NO_POLICY',
    );
  });

  it('acts in the least privileged of the roles the policy allows', () => {
    const both = caller(['moderator', 'administrator']);
    expect(actingRole(both, ['administrator', 'moderator'])).toBe('moderator');
    expect(actingRole(both, ['administrator'])).toBe('administrator');
    expect(actingRole(both, ['oversight'])).toBeUndefined();
  });
});

describe('requireAgency', () => {
  const asSteward = (agencies: string[]) =>
    authorize(caller(['steward'], agencies), ['steward', 'administrator'], 'M.w');

  it('lets a steward write for its agencies and no other', () => {
    expect(refusal(() => requireAgency(asSteward(['planeacion', 'hacienda']), 'hacienda'))).toBe(
      'allowed',
    );
    expect(refusal(() => requireAgency(asSteward(['planeacion']), 'transito'))).toBe(
      'FORBIDDEN AGENCY',
    );
    expect(refusal(() => requireAgency(asSteward([]), 'planeacion'))).toBe('FORBIDDEN AGENCY');
  });

  it('leaves other roles to the operation policy', () => {
    const admin = authorize(caller(['administrator']), ['steward', 'administrator'], 'M.w');
    expect(refusal(() => requireAgency(admin, 'transito'))).toBe('allowed');
  });
});

describe('eventActor', () => {
  it('records subject, role and the agency written for', () => {
    const actor = authorize(caller(['steward'], ['planeacion', 'hacienda']), ['steward'], 'M.w');
    expect(eventActor(actor, 'hacienda')).toEqual({
      subject: 'ana',
      role: 'steward',
      agency: 'hacienda',
    });
  });

  it("records a caller's only agency by default, and none when it has several or none", () => {
    const one = authorize(caller(['steward'], ['planeacion']), ['steward'], 'M.w');
    const two = authorize(caller(['steward'], ['a', 'b']), ['steward'], 'M.w');
    const anonymous = authorize(anonymousIdentity('anon:x'), ['anonymous'], 'M.w');
    expect(eventActor(one).agency).toBe('planeacion');
    expect(eventActor(two).agency).toBeNull();
    expect(eventActor(anonymous)).toEqual({ subject: 'anon:x', role: 'anonymous', agency: null });
  });
});

describe('claims', () => {
  it('reads an exact claim name before a dotted path', () => {
    const payload = {
      'https://cuenta.example/roles': ['steward'],
      realm_access: { roles: ['moderator'] },
    };
    expect(readClaim(payload, 'https://cuenta.example/roles')).toEqual(['steward']);
    expect(readClaim(payload, 'realm_access.roles')).toEqual(['moderator']);
    expect(readClaim(payload, 'realm_access.missing')).toBeUndefined();
    expect(readClaim(payload, 'realm_access.roles.length')).toBeUndefined();
  });

  it('reads lists, and strings separated by spaces or commas, as values', () => {
    expect(claimValues({ r: ['a', 7, 'b'] }, 'r')).toEqual(['a', 'b']);
    expect(claimValues({ r: 'a b,c' }, 'r')).toEqual(['a', 'b', 'c']);
    expect(claimValues({ r: { a: 1 } }, 'r')).toEqual([]);
  });

  it('writes a dotted path as nested objects', () => {
    const payload: Record<string, unknown> = { realm_access: { other: true } };
    writeClaim(payload, 'realm_access.roles', ['steward']);
    writeClaim(payload, 'flat', 1);
    expect(payload).toEqual({ realm_access: { other: true, roles: ['steward'] }, flat: 1 });
  });
});
