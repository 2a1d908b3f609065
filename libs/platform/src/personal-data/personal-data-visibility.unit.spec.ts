import { describe, expect, it } from '@jest/globals';
import type { PolicyRole } from '../auth/roles.js';
import { mayReveal, maySeeSubjects } from './personal-data-visibility.js';

const as = (role: PolicyRole, agencies: string[] = []) => ({ role, agencies });

describe('who may see a personal value', () => {
  it('shows comments to everyone', () => {
    expect(mayReveal('comment', as('anonymous'))).toBe(true);
  });

  it('shows names, contacts and groups to administrators and the answering stewards only', () => {
    for (const kind of ['name', 'contact', 'sensitive'] as const) {
      expect(mayReveal(kind, as('administrator'))).toBe(true);
      expect(mayReveal(kind, as('steward', ['planeacion']), 'planeacion')).toBe(true);
      expect(mayReveal(kind, as('steward', ['salud']), 'planeacion')).toBe(false);
      expect(mayReveal(kind, as('steward', ['planeacion']))).toBe(false);
      for (const role of ['anonymous', 'moderator', 'oversight', 'internal_control'] as const) {
        expect(mayReveal(kind, as(role, ['planeacion']), 'planeacion')).toBe(false);
      }
    }
  });

  it('names subjects to administrators only', () => {
    expect(maySeeSubjects(as('administrator'))).toBe(true);
    expect(maySeeSubjects(as('steward'))).toBe(false);
    expect(maySeeSubjects(as('anonymous'))).toBe(false);
  });
});
