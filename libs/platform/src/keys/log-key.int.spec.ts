import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateSignerKey, parseSignerKey } from '#ledger';
import { loadOrCreateLogKey, LogKeyError } from './log-key.js';

const origin = 'cuenta.example/cartagena';

describe('loadOrCreateLogKey', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-key-'));
    file = path.join(dir, 'keys', 'log.key');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates the key once, readable by its owner only, and then keeps it', async () => {
    const first = await loadOrCreateLogKey({ file, origin });
    const second = await loadOrCreateLogKey({ file, origin });
    expect(first.created).toBe(true);
    expect(second).toEqual({ signerKey: first.signerKey, created: false });
    expect(parseSignerKey(first.signerKey).name).toBe(origin);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.signerKey);
  });

  it('gives processes that start at once the same key, created by one of them', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => loadOrCreateLogKey({ file, origin })),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.signerKey)).size).toBe(1);
    expect((await readFile(file, 'utf8')).trim()).toBe(results[0].signerKey);
  });

  it('refuses a key file readable by others, saying how to fix it', async () => {
    await loadOrCreateLogKey({ file, origin });
    await chmod(file, 0o644);
    await expect(loadOrCreateLogKey({ file, origin })).rejects.toThrow(
      `the log key file ${file} is readable by others (mode 644); run: chmod 600 ${file}`,
    );
  });

  it('refuses a file that holds no signer key', async () => {
    await loadOrCreateLogKey({ file, origin });
    await writeFile(file, 'hello\n', { mode: 0o600 });
    await expect(loadOrCreateLogKey({ file, origin })).rejects.toBeInstanceOf(LogKeyError);
  });

  it('refuses a key named after another origin', async () => {
    await loadOrCreateLogKey({ file, origin });
    await writeFile(file, generateSignerKey('other.example/log') + '\n', { mode: 0o600 });
    await expect(loadOrCreateLogKey({ file, origin })).rejects.toThrow(
      `the log key in ${file} is for "other.example/log", not the configured origin "${origin}" (CUENTA_LOG_ORIGIN)`,
    );
  });

  it('refuses a key file that cannot be read', async () => {
    await loadOrCreateLogKey({ file, origin });
    await rm(file);
    await mkdir(file, { mode: 0o700 }); // a folder where the file should be: even root cannot read it
    await expect(loadOrCreateLogKey({ file, origin })).rejects.toThrow(
      `the log key file ${file} cannot be read`,
    );
  });
});
