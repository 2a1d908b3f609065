import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import { command, recordCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { live } from '../support/live.js';
import { startServer, type ServerProcess } from '../support/server.js';

// The commitments' subscription (commitmentChanged) with a real graphql-ws client against
// the built server. The log's own subscriptions are in ledger-subscriptions.e2e.spec.ts.

const AGENCY = CARTAGENA_2023_AGENCY_ID;
const ID = CARTAGENA_2023_ID;

describe('commitment subscriptions over graphql-ws', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-live-e2e-'));
    server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [AGENCY] }));
    // The published commitment, at stream version 9.
    await recordCartagena(server.url, steward);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends the commitment as it changes', async () => {
    const subscription = live(
      server.url,
      `subscription ($id: String!) { commitmentChanged(id: $id, limit: 2) {
        status view { version } milestones { id progress }
      } }`,
      2,
      { id: ID },
    );
    await subscription.ready;
    await command(server.url, steward, {
      name: 'reportProgress',
      inputType: 'ReportProgressInput',
      input: { commitmentId: ID, milestoneId: 'm1', percent: 60 },
    });
    const updates = (await subscription.done).map((r) => r.commitmentChanged);

    // The first report starts the commitment (CommitmentStarted), then records the progress.
    expect(updates.map((u) => [u.status, u.view.version, u.milestones[0].progress])).toEqual([
      ['IN_PROGRESS', 10, 0],
      ['IN_PROGRESS', 11, 60],
    ]);
  });
});
