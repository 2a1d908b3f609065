import { randomUUID } from 'node:crypto';
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

// A client (or a load balancer) that retries a command while the first try is still running:
// 20 identical requests at once, half to each of two API processes on one database, for
// every mutation. Exactly one set of events may result, and every answer must be the same
// but for `replayed`, which exactly one says false.

const AGENCY = CARTAGENA_2023_AGENCY_ID;
const COPIES = 20;
const RESULT =
  'commitmentId streamVersion positions eventIds replayed ' +
  'events { position id stream streamVersion type }';

interface AppendedEvent {
  position: number;
  id: string;
  stream: string;
  streamVersion: number;
  type: string;
}

interface Result {
  commitmentId: string;
  streamVersion: number;
  positions: number[];
  eventIds: string[];
  replayed: boolean;
  events: AppendedEvent[];
}

describe('concurrent duplicate commands over two API processes', () => {
  let database: TestDatabase;
  let dataDir: string;
  let servers: ServerProcess[] = [];
  let store: PostgresEventStore;
  let steward: Record<string, string>;
  /** The one answer that wrote, per command id sent. */
  const written = new Map<string, Result>();

  /** Sends `input` (with a command id of its own) COPIES times at once; returns every answer. */
  async function burst(name: string, inputType: string, input: object): Promise<Result[]> {
    const commandId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: COPIES }, (_, i) =>
        graphql<Record<string, Result>>(
          servers[i % servers.length].url,
          `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} } }`,
          { input: { ...input, commandId } },
          steward,
        ),
      ),
    );
    for (const { body } of answers) expect(body.errors).toBeUndefined();
    const results = answers.map(({ body }) => body.data?.[name] as Result);
    const first = results.find((result) => !result.replayed);
    if (first) written.set(commandId, first);
    return results;
  }

  /** The answers agree, and exactly one of them wrote. */
  function expectOneWrite(results: Result[]): Result {
    const writes = results.filter((result) => !result.replayed);
    expect(writes).toHaveLength(1);
    const [write] = writes;
    expect(results).toEqual(results.map((result) => ({ ...write, replayed: result.replayed })));
    return write;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-duplicates-fault-'));
    const env = { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir, CUENTA_DEMO: 'off' };
    // One after the other: the first creates the token signing key both then verify with.
    servers.push(await startServer(env));
    servers.push(await startServer(env));
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [AGENCY] }));
    store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await Promise.all(servers.map((server) => server.stop()));
    servers = [];
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('records every mutation once, and answers each copy alike', async () => {
    const commitmentId = 'duplicates-1';
    const code = 'CTG-Duplicates-1';
    const id = { commitmentId };
    const milestone = (milestoneId: string) => ({
      ...id,
      milestoneId,
      title: `Hito ${milestoneId}`,
      responsibleOffice: 'Secretaría de Planeación',
      plannedStart: '2023-02',
      plannedEnd: '2023-06',
    });

    const registered = expectOneWrite(
      await burst(
        'registerCommitment',
        'RegisterCommitmentInput',
        cartagenaRegistration({ commitmentId, code }),
      ),
    );
    expectOneWrite(await burst('addMilestone', 'AddMilestoneInput', milestone('m1')));
    const added = expectOneWrite(await burst('addMilestone', 'AddMilestoneInput', milestone('m2')));
    expectOneWrite(
      await burst('recordBudget', 'RecordBudgetInput', {
        ...id,
        lineId: 'rubro-1',
        phase: 'APPROVED',
        amountCop: 120_000_000,
        fundingSource: 'Recursos propios',
      }),
    );
    expectOneWrite(
      await burst('reviseCommitment', 'ReviseCommitmentInput', {
        ...id,
        changes: { resources: 'Recursos propios y cooperación' },
        reason: 'Se sumó la cooperación internacional',
      }),
    );
    expectOneWrite(
      await burst('rescheduleMilestone', 'RescheduleMilestoneInput', {
        ...id,
        milestoneId: 'm1',
        plannedStart: '2023-03',
        plannedEnd: '2023-07',
        reason: 'La consulta se aplazó',
      }),
    );
    expectOneWrite(await burst('publishCommitment', 'PublishCommitmentInput', id));
    expectOneWrite(
      await burst('reportProgress', 'ReportProgressInput', {
        ...id,
        milestoneId: 'm1',
        percent: 50,
      }),
    );
    expectOneWrite(
      await burst('correctEvent', 'CorrectEventInput', {
        ...id,
        eventId: added.eventIds[0],
        reason: 'El título quedó mal escrito',
        corrected: { title: 'Hito dos' },
      }),
    );
    expectOneWrite(
      await burst('completeMilestone', 'CompleteMilestoneInput', { ...id, milestoneId: 'm1' }),
    );
    expectOneWrite(
      await burst('cancelMilestone', 'CancelMilestoneInput', {
        ...id,
        milestoneId: 'm2',
        reason: 'Se unió al hito m1',
      }),
    );
    const completed = expectOneWrite(
      await burst('completeCommitment', 'CompleteCommitmentInput', id),
    );

    const withdrawnId = 'duplicates-2';
    const withdrawnCode = 'CTG-Duplicates-2';
    expectOneWrite(
      await burst(
        'registerCommitment',
        'RegisterCommitmentInput',
        cartagenaRegistration({ commitmentId: withdrawnId, code: withdrawnCode }),
      ),
    );
    expectOneWrite(
      await burst('withdrawCommitment', 'WithdrawCommitmentInput', {
        commitmentId: withdrawnId,
        reason: 'Se fusionó con otro compromiso',
      }),
    );

    // The log holds what the writing answers listed, and nothing else.
    const streams = [
      commitmentStream(commitmentId),
      commitmentCodeStream(code),
      commitmentStream(withdrawnId),
      commitmentCodeStream(withdrawnCode),
    ];
    const log = await store.readAll({ filter: { streams } });
    const answered = [...written.values()].flatMap((result) => result.events);
    expect(log.map((event) => event.id).sort()).toEqual(answered.map((event) => event.id).sort());
    expect(new Set(log.map((event) => event.id)).size).toBe(log.length);
    expect(
      log.filter((event) => event.type === 'CommitmentCodeClaimed').map((e) => e.stream),
    ).toEqual([commitmentCodeStream(code), commitmentCodeStream(withdrawnCode)]);
    expect(registered.events.map((event) => event.type)).toEqual([
      'CommitmentCodeClaimed',
      'CommitmentRegistered',
    ]);
    expect(completed.streamVersion).toBe(
      log.filter((event) => event.stream === commitmentStream(commitmentId)).length,
    );
    expect(written.size).toBe(14);
  });
});
