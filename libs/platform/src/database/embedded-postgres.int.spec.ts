import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  blockedFolder,
  DataFolderUnreachableError,
  startEmbeddedPostgres,
} from './embedded-postgres.js';

// As root, PostgreSQL runs as the `postgres` system user, which must be able to pass through
// every folder above the data folder. A folder made by mkdtemp is private (0700).

const nobody = { uid: 65534, gids: [65534] };

describe('the data folder of the embedded PostgreSQL', () => {
  let privateDir: string;
  let dataDir: string;

  beforeEach(async () => {
    privateDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-private-'));
    dataDir = path.join(privateDir, 'cuenta');
  });

  afterEach(async () => {
    await rm(privateDir, { recursive: true, force: true });
  });

  it('is blocked for another user by a private folder above it', async () => {
    expect(await blockedFolder(dataDir, nobody)).toEqual({
      folder: privateDir,
      mode: expect.any(Number),
    });
    expect(((await blockedFolder(dataDir, nobody))?.mode ?? 0) & 0o777).toBe(0o700);
  });

  it('is reachable once the private folder lets others pass, or by its owner', async () => {
    const owner = { uid: os.userInfo().uid, gids: [os.userInfo().gid] };
    const ownerCanPass = await blockedFolder(dataDir, owner);
    await chmod(privateDir, 0o711);

    expect([ownerCanPass, await blockedFolder(dataDir, nobody)]).toEqual([undefined, undefined]);
  });

  it('is not blocked by folders that do not exist yet (they are created passable)', async () => {
    await chmod(privateDir, 0o711);
    const deeper = path.join(privateDir, 'not', 'yet', 'there');
    expect(await blockedFolder(deeper, nobody)).toBeUndefined();
  });

  it('is checked at start, before anything is created, with one line saying what to do', async () => {
    const start = startEmbeddedPostgres({ dataDir });
    if (os.userInfo().uid === 0) {
      const error = await start.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(DataFolderUnreachableError);
      expect(error).toMatchObject({ dataDir, folder: privateDir });
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toContain(`chmod o+x ${privateDir}`);
      expect(existsSync(dataDir)).toBe(false);
    } else {
      // Not root: PostgreSQL runs as this user, who owns the private folder and may pass.
      const running = await start;
      expect(running.owned).toBe(true);
      await running.stop();
    }
  }, 180_000);

  it('starts once the folder above lets the postgres user pass', async () => {
    await chmod(privateDir, 0o711);
    await mkdir(dataDir);
    const running = await startEmbeddedPostgres({ dataDir, settings: { fsync: 'off' } });
    try {
      expect([running.owned, running.url]).toEqual([
        true,
        expect.stringContaining(`@127.0.0.1:${running.port}/postgres`),
      ]);
      expect(running.credentialsFile).toBe(path.join(dataDir, 'postgres.credentials.json'));
    } finally {
      await running.stop();
    }
    // Initialising a cluster is slow on a loaded machine: a generous bound.
  }, 180_000);
});
