import { describe, expect, it } from '@jest/globals';
import { policyOf } from '#platform';
import { CommitmentsResolver, PUBLIC_READ_QUERIES } from './commitments.resolver.js';

describe('PUBLIC_READ_QUERIES', () => {
  // The read cache answers them without running the resolvers, and so without the guard.
  it('names only queries of the resolver that every caller may run', () => {
    for (const name of PUBLIC_READ_QUERIES) {
      const handler = CommitmentsResolver.prototype[name] as unknown;
      expect({ name, handler: typeof handler }).toEqual({ name, handler: 'function' });
      expect({ name, policy: policyOf(handler as object, CommitmentsResolver) }).toEqual({
        name,
        policy: ['anonymous'],
      });
    }
  });
});
