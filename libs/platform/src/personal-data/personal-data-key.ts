import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createPrivateFile } from '../keys/private-file.js';
import { KEY_BYTES } from './personal-data-cipher.js';
import { PersonalDataKeyError } from './personal-data.errors.js';

/** How the file starts, so that it is not mistaken for another key (the log's, a token key). */
const PREFIX = 'cuenta-personal-data-kek-v1:';

/**
 * The key-encryption key (KEK) that wraps every subject's data key: 32 random bytes kept in a
 * file outside the database, like the log's signing key, so that a database dump or backup
 * alone cannot decrypt any personal value. Generated once, mode 600, when the file does not
 * exist; refused when it is readable by group or others, unreadable, or not such a key. It
 * must be backed up apart from the database: without it, no stored value can be read again.
 */
export async function loadOrCreatePersonalDataKey(args: {
  file: string;
  log?: (line: string) => void;
}): Promise<{ kek: Buffer; created: boolean }> {
  const { file } = args;
  if (!existsSync(file)) {
    const kek = randomBytes(KEY_BYTES);
    // Another process (the server and the CLI at once) may win: then its key is read below.
    if (await createPrivateFile(file, `${PREFIX}${kek.toString('base64url')}\n`)) {
      args.log?.(
        `generated the personal data key-encryption key in ${file}; back it up apart from the database`,
      );
      return { kek, created: true };
    }
  }
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new PersonalDataKeyError(
      `the personal data key file ${file} cannot be read: ${(error as Error).message}`,
    );
  }
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
    throw new PersonalDataKeyError(
      `the personal data key file ${file} is readable by others (mode ${mode}); run: chmod 600 ${file}`,
    );
  }
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new PersonalDataKeyError(
      `the personal data key file ${file} cannot be read: ${(error as Error).message}`,
    );
  }
  const encoded = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  const kek = Buffer.from(encoded, 'base64url');
  if (!/^[A-Za-z0-9_-]{43}$/.test(encoded) || kek.length !== KEY_BYTES) {
    throw new PersonalDataKeyError(
      `the personal data key file ${file} does not hold a key-encryption key ` +
        `(one line: ${PREFIX} and 32 bytes in base64url)`,
    );
  }
  return { kek, created: false };
}
