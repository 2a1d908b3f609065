import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import type { Config } from '../config/config.js';
import { CallerRateLimiter } from '../rate-limit/rate-limiter.js';
import { AccessGuard } from './access.guard.js';
import { AnonymousIds } from './anonymous-ids.js';
import { Authenticator } from './authenticator.js';
import { loadOrCreateAnonymousIdSecret } from './local-keys.js';
import { PolicyAudit } from './policy-audit.js';
import { tokenVerifierFor } from './token-verifier.js';

/** The authenticator the configuration describes; creates the local keys on first use. */
export async function createAuthenticator(
  config: Config,
  logger = new Logger('Access'),
): Promise<Authenticator> {
  const verifier = await tokenVerifierFor(config.auth, config.dataDir, {
    onKeysUnavailable: (error) =>
      logger.error(
        `cannot fetch token keys: ${error instanceof Error ? error.message : String(error)}`,
      ),
  });
  const secret =
    config.auth.anonymousIdSecret ?? (await loadOrCreateAnonymousIdSecret(config.dataDir));
  return new Authenticator({
    verifier,
    anonymousIds: new AnonymousIds(secret),
    rolesClaim: config.auth.rolesClaim,
    agenciesClaim: config.auth.agenciesClaim,
  });
}

/**
 * Authentication and authorization for the whole app (global): the Authenticator, the
 * per-caller rate limiter, the AccessGuard on every operation, and the start-up audit of
 * operations without a policy.
 */
@Module({})
export class AuthModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: Authenticator, useFactory: () => createAuthenticator(config) },
        { provide: CallerRateLimiter, useFactory: () => new CallerRateLimiter(config.rateLimit) },
        { provide: APP_GUARD, useClass: AccessGuard },
        PolicyAudit,
      ],
      exports: [Authenticator, CallerRateLimiter, PolicyAudit],
    };
  }
}
