import { ConfigError } from '#platform';
import { DEFAULT_AUTO_HIDE_AFTER } from './domain/index.js';

/** How evaluations run on this server, from the environment. */
export interface EvaluationSettings {
  /** CUENTA_EVALUATION_AUTO_HIDE_AFTER: distinct reporters that hide an evaluation (default 3). */
  autoHideAfter: number;
  /**
   * CUENTA_EVALUATION_LIMIT_ANONYMOUS / _AUTHENTICATED: submissions and reports per client and
   * hour (per IP address without a token, per subject with one; default 30 and 120; 0: none).
   */
  submissionsPerWindow: { anonymous: number; authenticated: number; windowSeconds: number };
}

type Environment = Readonly<Record<string, string | undefined>>;

function wholeNumber(env: Environment, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(name, `a whole number of at least ${min}`, raw);
  }
  return value;
}

/** Reads the settings; throws ConfigError naming the first bad variable. */
export function evaluationSettings(env: Environment): EvaluationSettings {
  return {
    autoHideAfter: wholeNumber(
      env,
      'CUENTA_EVALUATION_AUTO_HIDE_AFTER',
      DEFAULT_AUTO_HIDE_AFTER,
      1,
    ),
    submissionsPerWindow: {
      anonymous: wholeNumber(env, 'CUENTA_EVALUATION_LIMIT_ANONYMOUS', 30, 0),
      authenticated: wholeNumber(env, 'CUENTA_EVALUATION_LIMIT_AUTHENTICATED', 120, 0),
      windowSeconds: 3600,
    },
  };
}
