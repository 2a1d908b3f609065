import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { commitmentCodeStream, commitmentStream } from '#commitments';
import { CARTAGENA_2023_AGENCY_ID } from '../../libs/commitments/demo/index.js';
import { PostgresEventStore } from '#event-store';
import { bearer, localTokens } from '../support/access.js';
import { cartagenaRegistration } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// A code another commitment holds, as a client of the built server sees the refusal.

const AGENCY = CARTAGENA_2023_AGENCY_ID;
const RESULT = 'commitmentId streamVersion replayed';

describe('commitment codes over GraphQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let store: PostgresEventStore;
  let steward: Record<string, string>;

  const call = (name: string, inputType: string, input: object) =>
    graphql(
      server.url,
      `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} } }`,
      { input },
      steward,
    );
  const register = (commitmentId: string, code: string) =>
    call(
      'registerCommitment',
      'RegisterCommitmentInput',
      cartagenaRegistration({ commitmentId, code }),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-codes-e2e-'));
    server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [AGENCY] }));
    store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a registration with a taken code as an input error on `code`', async () => {
    const first = await register('codes-first', 'CTG-Codes-2024');
    const head = await store.head();

    const { status, body } = await register('codes-second', 'ctg-codes-2024');

    expect(first.body).toEqual({
      data: {
        registerCommitment: { commitmentId: 'codes-first', streamVersion: 1, replayed: false },
      },
    });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      {
        message:
          'code ctg-codes-2024 is already taken by commitment codes-first ' +
          '(codes are unique, whatever their case)',
        locations: [{ line: 1, column: expect.any(Number) }],
        path: ['registerCommitment'],
        extensions: {
          code: 'INVALID_INPUT',
          rule: 'commitment_code_taken',
          field: 'code',
          commitmentCode: 'ctg-codes-2024',
          heldBy: 'codes-first',
        },
      },
    ]);
    expect(await store.head()).toBe(head);
    expect(await store.readStream(commitmentStream('codes-second'))).toEqual([]);
  });

  it('refuses a revision to a taken code on `changes.code`', async () => {
    await register('codes-kept', 'CTG-Codes-Kept');
    await register('codes-moving', 'CTG-Codes-Moving');
    const head = await store.head();

    const { body } = await call('reviseCommitment', 'ReviseCommitmentInput', {
      commitmentId: 'codes-moving',
      changes: { code: 'CTG-Codes-Kept' },
      reason: 'Unificar el código',
    });

    expect(body.errors?.[0].extensions).toEqual({
      code: 'INVALID_INPUT',
      rule: 'commitment_code_taken',
      field: 'changes.code',
      commitmentCode: 'CTG-Codes-Kept',
      heldBy: 'codes-kept',
    });
    expect(await store.head()).toBe(head);
  });

  it('refuses a title the log cannot hold on `title`, without claiming the code', async () => {
    const head = await store.head();

    const { body } = await call('registerCommitment', 'RegisterCommitmentInput', {
      ...cartagenaRegistration({ commitmentId: 'codes-nul', code: 'CTG-Codes-Nul' }),
      title: 'Ca\u0000o',
    });

    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions).toEqual({
      code: 'INVALID_INPUT',
      field: 'title',
      // The API's edge refuses it first, before the command handler's own check.
      rule: 'must not contain U+0000 (NUL), found at character 2',
    });
    expect(await store.head()).toBe(head);
    expect(await store.readStream(commitmentCodeStream('CTG-Codes-Nul'))).toEqual([]);
  });

  it('finds a commitment by its code in any letter case', async () => {
    await register('codes-found', 'CTG-Codes-Found');
    const read = (code: string) =>
      graphql(server.url, 'query ($code: String!) { commitment(code: $code) { id code } }', {
        code,
      });
    const deadline = Date.now() + 15_000;
    let exact = await read('CTG-Codes-Found');
    while (!exact.body.data?.commitment && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      exact = await read('CTG-Codes-Found');
    }

    const lower = await read('ctg-codes-found');

    expect(exact.body.data?.commitment).toEqual({ id: 'codes-found', code: 'CTG-Codes-Found' });
    expect(lower.body.data?.commitment).toEqual({ id: 'codes-found', code: 'CTG-Codes-Found' });
  });
});
