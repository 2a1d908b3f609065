import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '#event-store';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../test/support/database.js';
import { CommitmentCommandHandler } from '../../application/commitment-command.handler.js';
import { foldRecorded, readCommitmentStream } from '../../application/commitment-stream.js';
import {
  CARTAGENA_2023_ID,
  cartagena2023,
  cartagena2023History,
} from '../../demo/cartagena-2023.js';
import {
  COMMITMENT_CODE_STREAM_PREFIX,
  commitmentCodeStream,
  commitmentStream,
  type CommitmentCommand,
  type RegisteredCommitment,
} from '../../domain/index.js';
import {
  budgetLineFromRow,
  commitmentFromRow,
  commitmentFromState,
  evidenceFromRow,
  milestoneFromRow,
} from '../../graphql/commitment.mapper.js';
import { CommitmentsProjection } from './commitments.projection.js';
import { CommitmentQueries } from './commitments.queries.js';

const system = { kind: 'trusted' as const, actor: { subject: 'test', role: 'administrator' } };

describe('the commitments projection', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let handler: CommitmentCommandHandler;
  let queries: CommitmentQueries;

  const run = (command: CommitmentCommand, occurredAt?: string) =>
    handler.handle({
      command,
      issuer: system,
      occurredAt: occurredAt ? new Date(occurredAt) : undefined,
    });
  const runner = (batchSize: number) =>
    new ProjectionRunner(store, dataSource, [new CommitmentsProjection(store)], {
      connectionString: database.url,
      batchSize,
    });

  /** The read model of a commitment, as the API shows it. */
  const fromRows = async (id: string) => {
    const row = await queries.byId(id);
    if (!row) return undefined;
    const evidence = (await queries.evidenceOf([id])).map(evidenceFromRow);
    const { shown: _shown, ...commitment } = commitmentFromRow(row);
    return {
      ...commitment,
      milestones: (await queries.milestonesOf([id])).map(milestoneFromRow).map((m) => ({
        ...m,
        evidenceList: evidence.filter((e) => e.milestoneId === m.id),
      })),
      budget: (await queries.budgetOf([id])).map(budgetLineFromRow),
    };
  };
  /** The same commitment folded from its stream with the domain's evolve. */
  const fromStream = async (id: string) => {
    const events = await readCommitmentStream(store, id);
    const state = foldRecorded(events) as RegisteredCommitment;
    const { folded, shown: _shown, ...model } = commitmentFromState(state, events.length);
    return { ...model, milestones: folded?.milestones, budget: folded?.budget };
  };
  const dump = async () => ({
    commitments: await dataSource.query('SELECT * FROM read.commitments ORDER BY id'),
    milestones: await dataSource.query('SELECT * FROM read.milestones ORDER BY 1, 2'),
    evidence: await dataSource.query('SELECT * FROM read.evidence ORDER BY 1, 2, 3'),
    budget: await dataSource.query('SELECT * FROM read.budget_lines ORDER BY 1, 2'),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url, pollMs: 100 });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    handler = new CommitmentCommandHandler(store, { now: () => new Date('2024-06-01T00:00:00Z') });
    queries = new CommitmentQueries(dataSource);

    for (const step of cartagena2023History) {
      await handler.handle({
        command: step.command,
        issuer: { kind: 'trusted', actor: step.actor },
        commandId: step.commandId,
        occurredAt: new Date(step.occurredAt),
      });
    }
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('shows the Cartagena commitment exactly as folding its stream does', async () => {
    await runner(1000).catchUpOnce();

    const projected = await fromRows(CARTAGENA_2023_ID);
    expect(projected).toEqual(await fromStream(CARTAGENA_2023_ID));
    expect(projected?.milestones?.map((m) => [m.id, m.status, m.progress])).toEqual([
      ['m1', 'completed', 100],
      ['m2', 'completed', 100],
      ['m3', 'completed', 100],
      ['m4', 'completed', 100],
      ['m5', 'completed', 100],
      ['m6', 'in_progress', 70],
      ['m7', 'in_progress', 80],
    ]);
  });

  it('reads the commitment streams only, not the code streams beside them', async () => {
    const projection = new CommitmentsProjection(store);
    const fed = await store.readAll({ filter: projection.filter, limit: 1000 });
    const all = await store.readAll({ limit: 1000 });

    expect(all.map((e) => e.stream)).toContain(commitmentCodeStream('CartagenaCuenta-2023'));
    expect(fed.map((e) => e.stream)).toContain(commitmentStream(CARTAGENA_2023_ID));
    expect(fed).toEqual(all.filter((e) => !e.stream.startsWith(COMMITMENT_CODE_STREAM_PREFIX)));
  });

  it('keeps budget lines and rewrites a commitment whose history a correction changed', async () => {
    await run({
      type: 'RecordBudget',
      data: {
        commitmentId: CARTAGENA_2023_ID,
        lineId: '2-3-1-02',
        phase: 'approved',
        amountCop: 450_000_000,
        fundingSource: 'Recursos propios',
      },
    });
    const report = (await readCommitmentStream(store, CARTAGENA_2023_ID)).findLast(
      (e) => e.type === 'MilestoneProgressReported' && e.data.milestoneId === 'm7',
    );
    await run({
      type: 'CorrectEvent',
      data: {
        commitmentId: CARTAGENA_2023_ID,
        eventId: String(report?.id),
        reason: 'El informe del tercer trimestre reporta 75 %, no 80 %',
        corrected: { percent: 75 },
      },
    });
    await runner(1000).catchUpOnce();

    const projected = await fromRows(CARTAGENA_2023_ID);
    expect(projected).toEqual(await fromStream(CARTAGENA_2023_ID));
    expect(projected?.milestones?.find((m) => m.id === 'm7')?.progress).toBe(75);
    expect(projected?.budget).toEqual([
      {
        id: '2-3-1-02',
        fundingSource: 'Recursos propios',
        milestoneId: null,
        proposed: null,
        approved: 450_000_000,
        adjusted: null,
        executed: null,
      },
    ]);
    expect(projected?.corrections).toBe(1);
  });

  it('writes the same rows however the log is cut into batches, and after a cold start', async () => {
    for (let i = 1; i <= 3; i++) {
      await run({
        type: 'RegisterCommitment',
        data: { ...cartagena2023, commitmentId: `batch-${i}`, code: `Batch-${i}` },
      });
      await run({
        type: 'AddMilestone',
        data: {
          commitmentId: `batch-${i}`,
          milestoneId: 'm1',
          title: 'Hito',
          responsibleOffice: 'Oficina',
          plannedStart: '2023-02',
          plannedEnd: '2023-05',
        },
      });
    }
    await runner(1000).catchUpOnce();
    const together = await dump();

    for (const batchSize of [1, 7]) {
      const rebuilding = runner(batchSize);
      await rebuilding.reset('commitments');
      await rebuilding.catchUpOnce();
      expect(await dump()).toEqual(together);
    }
    // A fresh projection has no cached states: it folds what it needs from the streams.
    await run({ type: 'PublishCommitment', data: { commitmentId: 'batch-2' } });
    await runner(1000).catchUpOnce();
    expect(await fromRows('batch-2')).toEqual(await fromStream('batch-2'));
  });
});
