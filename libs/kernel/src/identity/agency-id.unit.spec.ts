import { describe, expect, it } from '@jest/globals';
import { AGENCY_ID_RULE, isAgencyId } from './agency-id.js';

describe('isAgencyId', () => {
  it.each(['planeacion', 'alcaldia-cartagena', 'ider-2024', '7', 'a'.repeat(64)])(
    'accepts %j',
    (id) => {
      expect(isAgencyId(id)).toBe(true);
    },
  );

  it.each(['', 'Planeacion', 'secretaría', 'a b', '-a', 'a-', 'a--b', 'a_b', 'a'.repeat(65), 7])(
    'refuses %j',
    (id) => {
      expect(isAgencyId(id)).toBe(false);
    },
  );

  it('states its rule in words, with the longest length', () => {
    expect(AGENCY_ID_RULE).toContain('1 to 64 lower-case letters (a-z) and digits');
  });
});
