import { InvalidThresholds, thresholdsFrom, type Thresholds } from './domain/index.js';

/** The variable that sets the thresholds in force: a JSON object over the defaults. */
export const THRESHOLDS_VARIABLE = 'CUENTA_RED_FLAG_THRESHOLDS';

/** Injection token of the thresholds in force. */
export const RED_FLAG_THRESHOLDS = Symbol('RED_FLAG_THRESHOLDS');

/**
 * The thresholds in force, from `CUENTA_RED_FLAG_THRESHOLDS` (absent: the defaults).
 * @throws Error naming the variable and the key that is wrong, so the API does not start.
 */
export function thresholdsFromEnv(env: NodeJS.ProcessEnv): Thresholds {
  const text = env[THRESHOLDS_VARIABLE];
  if (text === undefined || text.trim() === '') return thresholdsFrom(undefined);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${THRESHOLDS_VARIABLE} is not JSON (a JSON object of thresholds)`);
  }
  try {
    return thresholdsFrom(parsed);
  } catch (error) {
    if (error instanceof InvalidThresholds) {
      throw new Error(`${THRESHOLDS_VARIABLE}: ${error.message}`);
    }
    throw error;
  }
}
