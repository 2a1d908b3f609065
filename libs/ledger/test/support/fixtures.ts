import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** libs/ledger/test/fixtures, resolved from this file so tests run from any working directory. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function readFixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export function readFixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, path)));
}

/** Paths (relative to FIXTURES, sorted) of every file under `folder` whose name ends in `suffix`. */
export function listFixtures(folder: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(suffix)) out.push(relative(FIXTURES, path));
    }
  };
  walk(join(FIXTURES, folder));
  return out;
}

export const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const b64 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'base64'));
