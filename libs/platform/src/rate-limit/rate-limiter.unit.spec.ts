import { describe, expect, it } from '@jest/globals';
import { anonymousIdentity, type Identity } from '../auth/actor.js';
import { CallerRateLimiter, RateLimitedError } from './rate-limiter.js';

const holder = (subject: string): Identity => ({
  subject,
  authenticated: true,
  roles: ['oversight'],
  agencies: [],
});

async function outcomes(run: () => Promise<void>, times: number): Promise<string[]> {
  const results: string[] = [];
  for (let i = 0; i < times; i++) {
    try {
      await run();
      results.push('ok');
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      results.push(`${error.code} ${error.retryAfterSeconds}`);
    }
  }
  return results;
}

describe('CallerRateLimiter', () => {
  it('limits anonymous callers per address and says when to retry', async () => {
    const limiter = new CallerRateLimiter({ windowSeconds: 30, anonymous: 2, authenticated: 5 });
    const caller = anonymousIdentity('anon:a');
    expect(await outcomes(() => limiter.consume(caller, '10.0.0.1'), 3)).toEqual([
      'ok',
      'ok',
      'RATE_LIMITED 30',
    ]);
    expect(await outcomes(() => limiter.consume(caller, '10.0.0.2'), 1)).toEqual(['ok']);
  });

  it('limits token holders per subject, whatever their address', async () => {
    const limiter = new CallerRateLimiter({ windowSeconds: 60, anonymous: 1, authenticated: 2 });
    let ip = 0;
    expect(await outcomes(() => limiter.consume(holder('ana'), `10.0.0.${ip++}`), 3)).toEqual([
      'ok',
      'ok',
      'RATE_LIMITED 60',
    ]);
    expect(await outcomes(() => limiter.consume(holder('luis'), '10.0.0.1'), 1)).toEqual(['ok']);
  });

  it('charges several points at once, and refuses a charge over the allowance', async () => {
    const limiter = new CallerRateLimiter({ windowSeconds: 60, anonymous: 3, authenticated: 3 });
    expect(await outcomes(() => limiter.consume(holder('ana'), undefined, 4), 1)).toEqual([
      'RATE_LIMITED 60',
    ]);
    expect(await outcomes(() => limiter.consume(holder('luis'), undefined, 3), 2)).toEqual([
      'ok',
      'RATE_LIMITED 60',
    ]);
  });

  it('counts refused tokens against the address', async () => {
    const limiter = new CallerRateLimiter({ windowSeconds: 60, anonymous: 2, authenticated: 9 });
    await limiter.consumeRefused('10.0.0.9');
    await limiter.consumeRefused('10.0.0.9');
    expect(
      await outcomes(() => limiter.consume(anonymousIdentity('anon:x'), '10.0.0.9'), 1),
    ).toEqual(['RATE_LIMITED 60']);
  });

  it('does not limit when the allowance is 0', async () => {
    const limiter = new CallerRateLimiter({ windowSeconds: 60, anonymous: 0, authenticated: 0 });
    expect(
      await outcomes(() => limiter.consume(anonymousIdentity('anon:x'), '10.0.0.1'), 50),
    ).toEqual(Array(50).fill('ok'));
  });

  it('shows the seconds to wait in the error details', () => {
    expect(new RateLimitedError(12).details()).toEqual({ retryAfter: 12 });
    expect(new RateLimitedError(12).message).toBe('Too many requests; retry in 12 s');
  });
});
