import path from 'node:path';
import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, validateSync } from 'class-validator';
import { keyNameProblem, parseWitnessKey } from '#ledger';
import { ConfigError, type EnvironmentSource } from './config.js';

const integer = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

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
  @Transform(integer)
  @IsInt({ message: 'an integer from 1 to 1000000' })
  @Min(1, { message: 'an integer from 1 to 1000000' })
  @Max(1_000_000, { message: 'an integer from 1 to 1000000' })
  CUENTA_CHECKPOINT_EVERY_EVENTS?: number;

  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'an integer number of seconds from 1 to 86400' })
  @Min(1, { message: 'an integer number of seconds from 1 to 86400' })
  @Max(86_400, { message: 'an integer number of seconds from 1 to 86400' })
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
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = plainToInstance(LedgerEnvironment, raw);
  const first = validateSync(parsed)[0];
  if (first) {
    const expected = Object.values(first.constraints ?? {})[0] ?? 'valid';
    const value = raw[first.property];
    throw new ConfigError(
      first.property,
      expected,
      value === undefined ? undefined : String(value),
    );
  }
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
