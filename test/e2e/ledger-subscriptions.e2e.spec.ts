import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { PostgresEventStore } from '#event-store';
import { canonicalize, leafHashOfText, toBase64 } from '#ledger';
import { bearer, localTokens } from '../support/access.js';
import { recordCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { live } from '../support/live.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// The log's subscriptions (eventsAppended, checkpointSigned) with a real graphql-ws client
// against the built server. Commitment commands are what append the events.

const AGENCY = CARTAGENA_2023_AGENCY_ID;
const ID = CARTAGENA_2023_ID;

describe('subscriptions to the log over graphql-ws', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  let administrator: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-live-log-e2e-'));
    server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [AGENCY] }));
    administrator = bearer(await mint({ role: 'administrator' }));
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers every appended event of a commitment, in order, with its position', async () => {
    const head = (await graphql(server.url, '{ ledgerInfo { size } }')).body.data?.ledgerInfo.size;
    const subscription = live(
      server.url,
      `subscription ($from: Int) { eventsAppended(streamPrefix: "commitment-", from: $from, limit: 9) {
        stream streamVersion position type actor { subject } data
      } }`,
      9,
      { from: head },
    );
    const positions = await recordCartagena(server.url, steward);
    const events = (await subscription.done).map((r) => r.eventsAppended);

    expect(events.map((e) => e.position)).toEqual(positions);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events[0]).toMatchObject({
      stream: `commitment-${ID}`,
      type: 'CommitmentRegistered',
      actor: { subject: 'test-steward' },
      data: { commitmentId: ID, code: 'CartagenaCuenta-2023' },
    });
    expect(events[8].type).toBe('CommitmentPublished');
  });

  it('replays from a position and filters by type, then completes at its limit', async () => {
    const stream = 'commitment-cartagena-replayed';
    const [first] = await recordCartagena(server.url, steward, {
      commitmentId: 'cartagena-replayed',
      code: 'CartagenaCuenta-Replayed',
    });
    const { done } = live(
      server.url,
      `subscription { eventsAppended(from: ${first}, streams: ["${stream}"], types: ["MilestoneAdded"], limit: 7) {
        stream data
      } }`,
      7,
    );

    const events = (await done).map((r) => r.eventsAppended);

    expect(events.map((e) => e.data.milestoneId)).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
    ]);
    expect(new Set(events.map((e) => e.stream))).toEqual(new Set([stream]));
  });

  it('serves events as the log stored and hashed them, not upcast, with their canonical JSON', async () => {
    // A registration of schema version 1, which the server's commitment upcasters would lift
    // to version 2 (adding the agency's id) if the feed served events as the domain reads them.
    // Outside the commitment- streams, so that no projection reads it.
    const store = await PostgresEventStore.open({ connectionString: database.url });
    let position: number;
    try {
      const appended = await store.append(
        'legacy-registered-v1',
        [
          {
            type: 'CommitmentRegistered',
            schemaVersion: 1,
            data: {
              commitmentId: 'registered-v1',
              leadAgency: { name: 'Secretaría de Planeación' },
            },
            metadata: { actor: { subject: 'test-steward', role: 'steward' }, reason: 'v1' },
          },
        ],
        'no_stream',
      );
      position = appended.positions[0];
    } finally {
      await store.close();
    }
    const { done } = live(
      server.url,
      `subscription { eventsAppended(from: ${position}, limit: 1) {
        canonical position schemaVersion data reason
      } }`,
      1,
    );
    const [{ eventsAppended: event }] = await done;
    const proof = await graphql(
      server.url,
      `{ inclusionProof(position: ${position}) { leafHash event { canonical } } }`,
    );
    const stored = JSON.parse(event.canonical);

    expect(event).toMatchObject({
      position,
      schemaVersion: 1,
      data: { commitmentId: 'registered-v1', leadAgency: { name: 'Secretaría de Planeación' } },
      reason: 'v1',
    });
    expect(event.canonical).toBe(canonicalize(stored));
    expect(stored).toMatchObject({ schemaVersion: 1, metadata: { reason: 'v1' } });
    expect(proof.body.data?.inclusionProof).toEqual({
      leafHash: toBase64(leafHashOfText(event.canonical)),
      event: { canonical: event.canonical },
    });
  });

  it('announces each checkpoint the log signs', async () => {
    // Something to sign: the log may be empty, or signed up to its head already.
    await recordCartagena(server.url, steward, {
      commitmentId: 'cartagena-signed',
      code: 'CartagenaCuenta-Signed',
    });
    const subscription = live(
      server.url,
      'subscription { checkpointSigned(limit: 1) { size rootHash note } }',
      1,
    );
    await subscription.ready;
    const signed = await graphql(
      server.url,
      'mutation { signCheckpoint { size rootHash } }',
      undefined,
      administrator,
    );
    const [{ checkpointSigned }] = await subscription.done;

    expect(checkpointSigned).toMatchObject(signed.body.data?.signCheckpoint);
    expect(checkpointSigned.note).toContain(`\n${checkpointSigned.size}\n`);
  });
});
