import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { generateSignerKey, parseSignerKey } from '#ledger';
import { createPrivateFile } from './private-file.js';

/** The log's signing key cannot be used as it is: the message says what to do. */
export class LogKeyError extends Error {
  readonly code = 'LOG_KEY_UNUSABLE';
  constructor(message: string) {
    super(message);
    this.name = 'LogKeyError';
  }
}

/**
 * The log's signer key (Go `sumdb/note` form), kept in a file outside the database so a
 * database dump cannot forge checkpoints. Generated once, with mode 600, when the file does
 * not exist; refused when it is unreadable, readable by group or others, not a signer key,
 * or named after another origin.
 */
export async function loadOrCreateLogKey(args: {
  file: string;
  origin: string;
  log?: (line: string) => void;
}): Promise<{ signerKey: string; created: boolean }> {
  const { file, origin } = args;
  if (!existsSync(file)) {
    const signerKey = generateSignerKey(origin);
    // Another process (the server and the CLI at once) may win: then its key is read below.
    if (await createPrivateFile(file, signerKey + '\n')) {
      args.log?.(`generated the log's signing key in ${file}`);
      return { signerKey, created: true };
    }
  }
  const info = await stat(file);
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
    throw new LogKeyError(
      `the log key file ${file} is readable by others (mode ${mode}); run: chmod 600 ${file}`,
    );
  }
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new LogKeyError(`the log key file ${file} cannot be read: ${(error as Error).message}`);
  }
  let name: string;
  try {
    name = parseSignerKey(text).name;
  } catch (error) {
    throw new LogKeyError(
      `the log key file ${file} does not hold a signer key: ${(error as Error).message}`,
    );
  }
  if (name !== origin) {
    throw new LogKeyError(
      `the log key in ${file} is for "${name}", not the configured origin "${origin}" (CUENTA_LOG_ORIGIN)`,
    );
  }
  return { signerKey: text, created: false };
}
