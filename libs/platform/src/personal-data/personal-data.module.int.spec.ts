import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { PersonalDataKeyError } from './personal-data.errors.js';
import { PersonalDataModule } from './personal-data.module.js';
import { PersonalDataStore } from './personal-data.store.js';

describe('PersonalDataModule', () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-pd-module-'));
  });

  afterAll(async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const start = (keyFile: string) =>
    NestFactory.createApplicationContext(
      PersonalDataModule.forRoot({ connectionString: database.url, keyFile, sweepEveryMs: 0 }),
      { logger: false, abortOnError: false },
    );

  it('generates the key at the first start and serves a store that keeps what it sealed', async () => {
    const keyFile = path.join(dir, 'keys', 'personal-data.key');
    const first = await start(keyFile);
    const sealed = await first.get(PersonalDataStore).seal({
      subject: 'new',
      events: [{ id: randomUUID(), type: 'Commented', data: { comment: 'hola' } }],
      declaration: { Commented: { '/comment': 'comment' } },
    });
    await first.close();
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);

    // A second start reads the same key: what the first sealed still opens.
    const second = await start(keyFile);
    const placeholder = sealed.events[0].data.comment as { personal: never };
    const [revealed] = await second.get(PersonalDataStore).reveal([placeholder.personal]);
    await second.close();
    expect(revealed).toEqual(expect.objectContaining({ erased: false, value: 'hola' }));
  });

  it('does not start with a key file others can read', async () => {
    const keyFile = path.join(dir, 'other', 'personal-data.key');
    await (await start(keyFile)).close();
    await chmod(keyFile, 0o640);
    await expect(start(keyFile)).rejects.toThrow(PersonalDataKeyError);
  });
});
