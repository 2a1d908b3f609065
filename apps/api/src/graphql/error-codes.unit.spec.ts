import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { renderErrorsDoc } from '../errors-doc.js';
import { DOMAIN_RULE_CODES, ERROR_CODES, NOT_CLIENT_CODES } from './error-codes.js';

/** Every TypeScript source of the apps and libraries, tests left out. */
async function sources(): Promise<string[]> {
  const files: string[] = [];
  for (const root of ['apps', 'libs']) {
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      const name = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && name.endsWith('.ts') && !name.endsWith('.spec.ts')) files.push(name);
    }
  }
  return files;
}

/** The codes the code base gives its errors: `readonly code = 'X'` and `code: 'X'`. */
async function codesInCode(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const file of await sources()) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/\bcode(?: =|:) '([A-Z][A-Z_]+)'/g)) {
      if (!found.has(match[1])) found.set(match[1], file);
    }
  }
  return found;
}

describe('the error-code registry', () => {
  it('holds every code the code base raises, each once', async () => {
    const registered = new Set(ERROR_CODES.map((entry) => entry.code));
    const missing = [...(await codesInCode())]
      .filter(
        ([code]) =>
          !registered.has(code) && !(code in NOT_CLIENT_CODES) && !DOMAIN_RULE_CODES.includes(code),
      )
      .map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
    expect(ERROR_CODES.length).toBe(registered.size);
  });

  it('finds the codes it must, so the scan itself is not blind', async () => {
    const found = await codesInCode();
    for (const code of ['INVALID_INPUT', 'VERSION_CONFLICT', 'MILESTONE_NOT_FOUND', 'FORBIDDEN']) {
      expect(found.has(code)).toBe(true);
    }
  });

  it('gives each code a meaning in both languages', () => {
    const blank = ERROR_CODES.filter(
      (entry) => entry.meaning.trim() === '' || entry.significado.trim() === '',
    );
    expect(blank).toEqual([]);
  });

  it('is what docs/errors.md shows (npm run docs:errors regenerates it)', async () => {
    expect(await readFile('docs/errors.md', 'utf8')).toBe(await renderErrorsDoc());
  });
});
