import path from 'node:path';
import { IsOptional, Matches } from 'class-validator';
import { readEnvironment, type EnvironmentSource } from '../config/config.js';

/** Environment variables of the personal-data store. */
class PersonalDataEnvironment {
  @IsOptional()
  @Matches(/\S/, { message: 'a file path' })
  CUENTA_PERSONAL_DATA_KEY_FILE?: string;
}

export interface PersonalDataConfig {
  /** The key-encryption key's file, outside the database (beside the log's key by default). */
  keyFile: string;
}

/** Reads the personal-data variables; throws ConfigError naming the first bad one. */
export function loadPersonalDataConfig(
  env: EnvironmentSource,
  dataDir: string,
  cwd = process.cwd(),
): PersonalDataConfig {
  const parsed = readEnvironment(PersonalDataEnvironment, env);
  return {
    keyFile: path.resolve(
      cwd,
      parsed.CUENTA_PERSONAL_DATA_KEY_FILE ?? path.join(dataDir, 'keys', 'personal-data.key'),
    ),
  };
}
