import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import { command, cartagenaRegistration } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { openSubscription, waitFor } from '../support/faults.js';
import { outageProxy, type OutageProxy } from '../support/outage-proxy.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// A database that stays out of reach longer than CUENTA_SUBSCRIPTION_OUTAGE_SECONDS: live
// subscriptions end with DATABASE_UNAVAILABLE and where to resume; the API stays up and
// serves again once the database is back. A proxy between the two plays the outage.

const OUTAGE_SECONDS = 2;

describe('the API when the database stays out of reach', () => {
  let database: TestDatabase;
  let proxy: OutageProxy;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await outageProxy(database.url);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-fault-outage-'));
    server = await startServer({
      DATABASE_URL: proxy.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_SUBSCRIPTION_OUTAGE_SECONDS: String(OUTAGE_SECONDS),
    });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const register = (id: string) =>
    command(server.url, steward, {
      name: 'registerCommitment',
      inputType: 'RegisterCommitmentInput',
      input: cartagenaRegistration({ commitmentId: id, code: id }),
    });

  it('ends subscriptions with DATABASE_UNAVAILABLE and where to resume, and serves again once it is back', async () => {
    const head = (await graphql(server.url, '{ ledgerInfo { size } }')).body.data?.ledgerInfo
      .size as number;
    const events = openSubscription(
      server.url,
      'subscription ($from: Int) { eventsAppended(from: $from) { position } }',
      (data) => (data.eventsAppended as { position: number }).position,
      { from: head },
    );
    const checkpoints = openSubscription(
      server.url,
      'subscription { checkpointSigned { size } }',
      (data) => (data.checkpointSigned as { size: number }).size,
    );
    try {
      await Promise.all([events.ready, checkpoints.ready]);
      const { positions } = await register('Outage-1');
      await waitFor('the registration on the subscription', () =>
        positions.every((p) => events.received.includes(p)),
      );
      const next = head + events.received.length;

      const cutAt = Date.now();
      proxy.cut();
      await waitFor('both subscriptions to end', () => !!events.ended && !!checkpoints.ended);
      const endedAfterMs = Date.now() - cutAt;

      expect(events.ended?.error).toEqual([
        expect.objectContaining({
          message: expect.stringContaining(`from position ${next}`),
          extensions: { code: 'DATABASE_UNAVAILABLE', position: next },
        }),
      ]);
      expect(checkpoints.ended?.error).toEqual([
        expect.objectContaining({ extensions: { code: 'DATABASE_UNAVAILABLE', size: 0 } }),
      ]);
      // Not before the configured wait, nor long after it.
      expect(endedAfterMs).toBeGreaterThanOrEqual(OUTAGE_SECONDS * 1000);
      expect(server.exitCode()).toBeNull();

      proxy.restore();
      const { positions: after } = await register('Outage-2');
      expect(after[0]).toBeGreaterThanOrEqual(next);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      proxy.restore();
      await events.close();
      await checkpoints.close();
    }
  }, 120_000);
});
