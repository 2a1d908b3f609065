// Builds dist/ from apps/ and libs/ only when a source file is newer than what it compiles
// to, so that commands run from a checkout (`npm run cuenta`) start at once, yet never run
// code older than the sources. `npm install` runs it too (the `prepare` script); where there
// are no sources (an install of dependencies only) there is nothing to build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A library's test support (libs/<lib>/test), which `npm run build` leaves out. */
const libraryTests = /^libs\/[^/]+\/test$/;

/** Every file `npm run build` compiles, relative to the root. */
function sources() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!libraryTests.test(file.split(path.sep).join('/'))) walk(file);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) found.push(file);
    }
  };
  for (const dir of ['apps', 'libs']) if (existsSync(path.join(root, dir))) walk(dir);
  return found;
}

/** Modification time in ms, or undefined when the file does not exist. */
function modified(file) {
  try {
    return statSync(path.join(root, file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The first source whose compiled file is missing or older than it (or than .swcrc). */
export function staleSource() {
  const settings = modified('.swcrc') ?? 0;
  for (const source of sources()) {
    const output = modified(path.join('dist', source.replace(/\.ts$/, '.js')));
    if (output === undefined || output < Math.max(modified(source) ?? 0, settings)) return source;
  }
  return undefined;
}

/**
 * Runs `npm run build` if a source changed since the last build. Its output goes to stderr,
 * so that a command's stdout (a token, a proof) stays clean. Returns whether it built.
 */
export function buildIfStale() {
  if (staleSource() === undefined) return false;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildIfStale();
}
