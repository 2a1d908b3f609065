import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { CARTAGENA_2023_ID, cartagena2023, cartagena2023Milestones } from '#commitments';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Subscriptions with a real graphql-ws client against the built server.

const AGENCY = cartagena2023.leadAgency.name;
const ID = CARTAGENA_2023_ID;
type Result = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Subscribes and collects `count` results. `ready` resolves once the server has the
 * subscription (it answered a first query on the same connection), so the test can then
 * cause the events.
 */
function live(url: string, query: string, count: number, variables?: Record<string, unknown>) {
  const client: Client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const results: Result[] = [];
  let subscribed: () => void = () => undefined;
  // Plus a moment: the server starts following from the head it reads when it subscribes.
  const ready = new Promise<void>((resolve) => (subscribed = resolve)).then(
    () => new Promise<void>((resolve) => setTimeout(resolve, 300)),
  );
  const done = new Promise<Result[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`got ${results.length} of ${count}: ${JSON.stringify(results)}`)),
      15_000,
    );
    const stop = client.subscribe<Result>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) reject(new Error(JSON.stringify(result.errors)));
          results.push(result.data as Result);
          if (results.length === count) {
            clearTimeout(timer);
            stop();
            resolve(results);
          }
        },
        error: (error) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => {
          clearTimeout(timer);
          resolve(results);
        },
      },
    );
    // The subscription is in place once the server has answered a query sent after it on the
    // same socket (graphql-ws handles one connection's messages in order).
    client.subscribe(
      { query: '{ health { status } }' },
      { next: () => undefined, error: () => undefined, complete: () => subscribed() },
    );
  });
  return { ready, done: done.finally(() => client.dispose()) };
}

describe('subscriptions over graphql-ws', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  let administrator: Record<string, string>;

  const mutate = async (name: string, inputType: string, input: object) => {
    const { body } = await graphql(
      server.url,
      `mutation ($input: ${inputType}!) { ${name}(input: $input) { streamVersion positions } }`,
      { input },
      steward,
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data?.[name] as { streamVersion: number; positions: number[] };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-live-e2e-'));
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
    const positions: number[] = [];
    const { ogpValues, ...fields } = cartagena2023;
    positions.push(
      ...(
        await mutate('registerCommitment', 'RegisterCommitmentInput', {
          ...fields,
          ogpValues: ogpValues?.map((v) => ({ ...v, value: v.value.toUpperCase() })),
        })
      ).positions,
    );
    for (const milestone of cartagena2023Milestones) {
      positions.push(
        ...(await mutate('addMilestone', 'AddMilestoneInput', { commitmentId: ID, ...milestone }))
          .positions,
      );
    }
    positions.push(
      ...(await mutate('publishCommitment', 'PublishCommitmentInput', { commitmentId: ID }))
        .positions,
    );
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
    const { done } = live(
      server.url,
      'subscription { eventsAppended(from: 0, types: ["MilestoneAdded"], limit: 7) { data } }',
      7,
    );

    const milestones = (await done).map((r) => r.eventsAppended.data.milestoneId);

    expect(milestones).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
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
    await mutate('reportProgress', 'ReportProgressInput', {
      commitmentId: ID,
      milestoneId: 'm1',
      percent: 60,
    });
    const updates = (await subscription.done).map((r) => r.commitmentChanged);

    // The first report starts the commitment (CommitmentStarted), then records the progress.
    expect(updates.map((u) => [u.status, u.view.version, u.milestones[0].progress])).toEqual([
      ['IN_PROGRESS', 10, 0],
      ['IN_PROGRESS', 11, 60],
    ]);
  });

  it('announces each checkpoint the log signs', async () => {
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
