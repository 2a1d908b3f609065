import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Identity } from '../auth/actor.js';
import type { RateLimitConfig } from '../config/config.js';
import { CuentaError } from '../errors/cuenta-error.js';

/** The caller used up its allowance for the current window. */
export class RateLimitedError extends CuentaError {
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry in ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }
  override details() {
    return { retryAfter: this.retryAfterSeconds };
  }
}

/**
 * Fixed-window request limits per caller, in memory (one process; each replica counts its
 * own): a token's subject for authenticated callers, the client IP address otherwise.
 */
export class CallerRateLimiter {
  private readonly anonymous: RateLimiterMemory | undefined;
  private readonly authenticated: RateLimiterMemory | undefined;

  constructor(config: RateLimitConfig) {
    const limiter = (points: number, keyPrefix: string) =>
      points > 0
        ? new RateLimiterMemory({ points, duration: config.windowSeconds, keyPrefix })
        : undefined;
    this.anonymous = limiter(config.anonymous, 'ip');
    this.authenticated = limiter(config.authenticated, 'sub');
  }

  /**
   * Takes `points` (one per operation) from the caller's allowance.
   * @throws RateLimitedError with the seconds until the window resets.
   */
  async consume(identity: Identity, ip: string | undefined, points = 1): Promise<void> {
    if (identity.authenticated) await take(this.authenticated, identity.subject, points);
    else await take(this.anonymous, ip ?? 'unknown', points);
  }

  /** Counts a request whose token was refused against its IP address, like an anonymous one. */
  async consumeRefused(ip: string | undefined): Promise<void> {
    await take(this.anonymous, ip ?? 'unknown', 1);
  }
}

async function take(
  limiter: RateLimiterMemory | undefined,
  key: string,
  points: number,
): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    throw rejection;
  }
}
