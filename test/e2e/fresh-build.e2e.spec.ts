import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runNode } from '../support/server.js';

// `npm run cuenta` builds only when a source is newer than what it compiles to. The check runs
// here on a small project of its own, whose build appends a line to a file for each run.

const run = promisify(execFile);

describe('building only what changed', () => {
  let root: string;
  const builds = async () =>
    (await readFile(path.join(root, 'builds.log'), 'utf8').catch(() => '')).split('\n').length - 1;
  const check = () => run(process.execPath, ['scripts/fresh-build.js'], { cwd: root });
  /** Sets a file's modification time `seconds` from now. */
  const touch = (file: string, seconds: number) => {
    const when = new Date(Date.now() + seconds * 1000);
    return utimes(path.join(root, file), when, when);
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cuenta-fresh-build-'));
    await mkdir(path.join(root, 'scripts'));
    await copyFile('scripts/fresh-build.js', path.join(root, 'scripts', 'fresh-build.js'));
    await mkdir(path.join(root, 'apps', 'cli'), { recursive: true });
    await writeFile(path.join(root, 'apps', 'cli', 'main.ts'), 'export const a = 1;\n');
    await writeFile(path.join(root, 'apps', 'cli', 'main.unit.spec.ts'), '// not built\n');
    const build =
      "require('fs').mkdirSync('dist/apps/cli',{recursive:true});" +
      "require('fs').writeFileSync('dist/apps/cli/main.js','');" +
      "require('fs').appendFileSync('builds.log','built\\n')";
    await writeFile(
      path.join(root, 'package.json'),
      JSON.stringify({ type: 'module', scripts: { build: `node -e "${build}"` } }),
    );
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds when there is no build, then not again until a source changes', async () => {
    await check();
    const first = await builds();
    await check();
    const unchanged = await builds();
    await touch('apps/cli/main.unit.spec.ts', 60);
    await check();
    const specChanged = await builds();
    await touch('apps/cli/main.ts', 120);
    await check();
    const sourceChanged = await builds();

    expect([first, unchanged, specChanged, sourceChanged]).toEqual([1, 1, 1, 2]);
  });

  it('runs the command line with its arguments and exit code', async () => {
    const help = await runNode('scripts/cuenta.js', ['--help'], {});
    const unknown = await runNode('scripts/cuenta.js', ['nope'], {});

    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'usage: cuenta <command> [...]']);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([
      2,
      'cuenta: unknown command "nope"',
    ]);
  });
});
