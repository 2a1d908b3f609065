import path from 'node:path';
import { IsOptional, Matches } from 'class-validator';
import { keyNameProblem, parseWitnessKey } from '#ledger';
import { ConfigError, IntegerBetween, readEnvironment, type EnvironmentSource } from './config.js';

/** Environment variables of the transparency log. */
class LedgerEnvironment {
  @IsOptional()
  @Matches(/^[^\s+]+$/, {
    message: 'a log origin without spaces or "+", such as cuenta.example/cartagena',
  })
  CUENTA_LOG_ORIGIN?: string;

  @IsOptional()
  @Matches(/\S/, { message: 'a file path' })
  CUENTA_LOG_KEY_FILE?: string;

  @IsOptional()
  @IntegerBetween(1, 1_000_000)
  CUENTA_CHECKPOINT_EVERY_EVENTS?: number;

  @IsOptional()
  @IntegerBetween(1, 86_400, 'an integer number of seconds from 1 to 86400')
  CUENTA_CHECKPOINT_INTERVAL_SECONDS?: number;

  @IsOptional()
  CUENTA_WITNESS_KEYS?: string;
}

export interface LedgerConfig {
  /** The log's identity in every checkpoint, e.g. `cuenta.example/cartagena`. */
  origin: string;
  /** The log's signer key, kept outside the database. */
  keyFile: string;
  /** Sign a checkpoint once this many events are unsigned... */
  checkpointEveryEvents: number;
  /** ...or once the oldest unsigned event is this old. */
  checkpointIntervalSeconds: number;
  /** Verifier keys of the witnesses whose cosignatures the log accepts. */
  witnessKeys: string[];
}

export const DEFAULT_LOG_ORIGIN = 'cuenta.example/cartagena';

/** Reads the ledger's variables; throws ConfigError naming the first bad one. */
export function loadLedgerConfig(
  env: EnvironmentSource,
  dataDir: string,
  cwd = process.cwd(),
): LedgerConfig {
  const parsed = readEnvironment(LedgerEnvironment, env);
  const origin = parsed.CUENTA_LOG_ORIGIN ?? DEFAULT_LOG_ORIGIN;
  const problem = keyNameProblem(origin);
  if (problem)
    throw new ConfigError('CUENTA_LOG_ORIGIN', `usable as a key name (${problem})`, origin);
  const witnessKeys = (parsed.CUENTA_WITNESS_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  for (const key of witnessKeys) {
    try {
      parseWitnessKey(key);
    } catch {
      throw new ConfigError(
        'CUENTA_WITNESS_KEYS',
        'a comma-separated list of witness verifier keys (name+keyid+base64)',
        key,
      );
    }
  }
  return {
    origin,
    keyFile: path.resolve(cwd, parsed.CUENTA_LOG_KEY_FILE ?? path.join(dataDir, 'keys', 'log.key')),
    checkpointEveryEvents: parsed.CUENTA_CHECKPOINT_EVERY_EVENTS ?? 1000,
    checkpointIntervalSeconds: parsed.CUENTA_CHECKPOINT_INTERVAL_SECONDS ?? 60,
    witnessKeys,
  };
}
