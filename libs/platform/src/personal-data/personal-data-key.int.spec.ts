import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadPersonalDataConfig } from './personal-data-config.js';
import { PersonalDataKeyError } from './personal-data.errors.js';
import { loadOrCreatePersonalDataKey } from './personal-data-key.js';

describe('loadOrCreatePersonalDataKey', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-kek-'));
    file = path.join(dir, 'keys', 'personal-data.key');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates 32 random bytes once, readable by its owner only, and then keeps them', async () => {
    const lines: string[] = [];
    const first = await loadOrCreatePersonalDataKey({ file, log: (line) => lines.push(line) });
    const second = await loadOrCreatePersonalDataKey({ file });
    expect(first.created).toBe(true);
    expect(first.kek).toHaveLength(32);
    expect(second).toEqual({ kek: first.kek, created: false });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await readFile(file, 'utf8')).trim()).toBe(
      `cuenta-personal-data-kek-v1:${first.kek.toString('base64url')}`,
    );
    expect(lines).toEqual([
      `generated the personal data key-encryption key in ${file}; back it up apart from the database`,
    ]);
  });

  it('gives processes that start at once the same key, created by one of them', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => loadOrCreatePersonalDataKey({ file })),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.kek.toString('hex'))).size).toBe(1);
  });

  it('refuses a key file readable by group or others, saying how to fix it', async () => {
    await loadOrCreatePersonalDataKey({ file });
    for (const mode of [0o644, 0o640, 0o604]) {
      await chmod(file, mode);
      await expect(loadOrCreatePersonalDataKey({ file })).rejects.toThrow(
        `the personal data key file ${file} is readable by others ` +
          `(mode ${mode.toString(8)}); run: chmod 600 ${file}`,
      );
    }
  });

  it('refuses a file that holds something else, such as a key of the wrong length', async () => {
    await mkdir(path.dirname(file), { recursive: true });
    for (const text of ['hello\n', `cuenta-personal-data-kek-v1:${'A'.repeat(22)}\n`]) {
      await writeFile(file, text, { mode: 0o600 });
      await expect(loadOrCreatePersonalDataKey({ file })).rejects.toBeInstanceOf(
        PersonalDataKeyError,
      );
    }
    await expect(loadOrCreatePersonalDataKey({ file })).rejects.toThrow(
      `the personal data key file ${file} does not hold a key-encryption key`,
    );
  });

  it('refuses a key file that cannot be read', async () => {
    await mkdir(file, { recursive: true, mode: 0o700 }); // a folder where the file should be
    await expect(loadOrCreatePersonalDataKey({ file })).rejects.toThrow(
      `the personal data key file ${file} cannot be read`,
    );
  });
});

describe('loadPersonalDataConfig', () => {
  it('keeps the key beside the log key by default, or where CUENTA_PERSONAL_DATA_KEY_FILE says', () => {
    expect(loadPersonalDataConfig({}, '/srv/cuenta', '/work')).toEqual({
      keyFile: '/srv/cuenta/keys/personal-data.key',
    });
    expect(
      loadPersonalDataConfig({ CUENTA_PERSONAL_DATA_KEY_FILE: 'secrets/kek' }, '/srv/cuenta', '/w'),
    ).toEqual({ keyFile: '/w/secrets/kek' });
  });

  it('refuses a blank path', () => {
    expect(() =>
      loadPersonalDataConfig({ CUENTA_PERSONAL_DATA_KEY_FILE: '   ' }, '/srv/cuenta'),
    ).toThrow('CUENTA_PERSONAL_DATA_KEY_FILE must be a file path (got "   ")');
  });
});
