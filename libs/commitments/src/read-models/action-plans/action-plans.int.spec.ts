import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, Upcasters } from '#event-store';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../test/support/database.js';
import { cartagena2023 } from '../../../demo/cartagena-2023.js';
import { ActionPlanCommandHandler } from '../../application/action-plan-command.handler.js';
import { CommitmentCommandHandler } from '../../application/commitment-command.handler.js';
import { COMMITMENT_UPCASTERS } from '../../application/commitment-upcasters.js';
import { commitmentsContext } from '../../commitments.context.js';
import type { ActionPlanCommand, CommitmentCommand } from '../../domain/index.js';
import { CommitmentsProjection } from '../commitments/commitments.projection.js';
import { ActionPlansProjection } from './action-plans.projection.js';
import { ActionPlanQueries } from './action-plans.queries.js';

const system = { kind: 'trusted' as const, actor: { subject: 'test', role: 'administrator' } };

describe('action plans on the read side', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let commitments: CommitmentCommandHandler;
  let plans: ActionPlanCommandHandler;
  let queries: ActionPlanQueries;

  const run = (command: CommitmentCommand) =>
    commitments.handle({ command, issuer: system, occurredAt: new Date('2024-03-01T12:00:00Z') });
  const plan = (command: ActionPlanCommand) =>
    plans.handle({ command, issuer: system, occurredAt: new Date('2024-03-01T12:00:00Z') });
  const catchUp = () =>
    new ProjectionRunner(
      store,
      dataSource,
      [new CommitmentsProjection(store), new ActionPlansProjection(store)],
      { connectionString: database.url, batchSize: 1000 },
    ).catchUpOnce();

  /** A commitment of `actionPlanId` with milestones at these percents, published. */
  async function commitment(id: string, actionPlanId: string, percents: number[]) {
    const { commitmentId: _id, code: _code, ...template } = cartagena2023;
    await run({
      type: 'RegisterCommitment',
      data: {
        ...template,
        commitmentId: id,
        code: `T-${id}`,
        actionPlanId,
        startDate: '2024-01-01',
        endDate: '2024-12-31',
      },
    });
    for (const [i] of percents.entries()) {
      await run({
        type: 'AddMilestone',
        data: {
          commitmentId: id,
          milestoneId: `m${i + 1}`,
          title: `Hito ${i + 1}`,
          responsibleOffice: 'Planeación',
          plannedStart: '2024-02',
          plannedEnd: '2024-06',
        },
      });
    }
    await run({ type: 'PublishCommitment', data: { commitmentId: id } });
    for (const [i, percent] of percents.entries()) {
      if (percent === 100) {
        await run({
          type: 'CompleteMilestone',
          data: { commitmentId: id, milestoneId: `m${i + 1}` },
        });
      } else if (percent > 0) {
        await run({
          type: 'ReportProgress',
          data: { commitmentId: id, milestoneId: `m${i + 1}`, percent },
        });
      }
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      pollMs: 100,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    commitments = new CommitmentCommandHandler(store);
    plans = new ActionPlanCommandHandler(store);
    queries = new ActionPlanQueries(dataSource);

    await commitment('a', 'plan-x', [100, 50]);
    await commitment('b', 'plan-x', [20, 20, 20]);
    await commitment('c', 'plan-y', [10]);
    await catchUp();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('shows plans that commitments name but no one registered, derived from the id', async () => {
    expect((await queries.list()).map((p) => [p.id, p.registered, p.status, p.title])).toEqual([
      ['plan-x', false, 'not_registered', 'plan-x'],
      ['plan-y', false, 'not_registered', 'plan-y'],
    ]);
    expect(await queries.byId('plan-z')).toBeNull();
    expect(await queries.rollup('plan-z')).toBeNull();
    expect(await queries.count()).toBe(2);
  });

  it("rolls a derived plan up from its commitments' milestones, with equal weights", async () => {
    const rollup = await queries.rollup('plan-x');
    expect(rollup?.commitments.map((c) => [c.id, c.progress.value])).toEqual([
      ['a', 75],
      ['b', 20],
    ]);
    expect(rollup?.progress).toEqual({
      value: 47.5,
      inputs: [
        { id: 'a', weight: 1, progress: 75 },
        { id: 'b', weight: 1, progress: 20 },
      ],
      excluded: [],
    });
  });

  it('fills a derived plan in once it is registered, keeping its commitments', async () => {
    await plan({
      type: 'RegisterActionPlan',
      data: {
        actionPlanId: 'plan-x',
        jurisdiction: 'Distrito de Cartagena de Indias',
        title: 'Plan X',
        periodStart: '2024-01-01',
        periodEnd: '2024-12-31',
        ogpCycle: 'OGP Local 2024-2025',
      },
    });
    await catchUp();
    expect(await queries.byId('plan-x')).toEqual({
      id: 'plan-x',
      registered: true,
      title: 'Plan X',
      status: 'draft',
      jurisdiction: 'Distrito de Cartagena de Indias',
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      ogpCycle: 'OGP Local 2024-2025',
      registeredAt: new Date('2024-03-01T12:00:00Z'),
      commitmentWeights: {},
      version: 1,
    });
    expect((await queries.rollup('plan-x'))?.commitments.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('weighs milestones and commitments as set, and leaves withdrawn commitments out', async () => {
    await run({
      type: 'SetMilestoneWeights',
      data: { commitmentId: 'a', weights: [{ milestoneId: 'm2', weight: 3 }], reason: 'r' },
    });
    await plan({
      type: 'SetCommitmentWeights',
      data: { actionPlanId: 'plan-x', weights: [{ commitmentId: 'b', weight: 4 }], reason: 'r' },
    });
    await catchUp();
    const rollup = await queries.rollup('plan-x');
    // a: (100 + 3 × 50) / 4 = 62.5; plan: (62.5 + 4 × 20) / 5 = 28.5.
    expect(rollup?.commitments[0].progress.inputs).toEqual([
      { id: 'm1', weight: 1, progress: 100 },
      { id: 'm2', weight: 3, progress: 50 },
    ]);
    expect(rollup?.progress.value).toBe(28.5);
    expect(rollup?.progress.inputs).toEqual([
      { id: 'a', weight: 1, progress: 62.5 },
      { id: 'b', weight: 4, progress: 20 },
    ]);

    await run({ type: 'WithdrawCommitment', data: { commitmentId: 'b', reason: 'reformulado' } });
    await catchUp();
    const after = await queries.rollup('plan-x');
    expect(after?.progress).toMatchObject({
      value: 62.5,
      excluded: [{ id: 'b', reason: 'withdrawn' }],
    });
  });

  it("the Cartagena demo's plan: registered, in implementation, at 92.86 %", async () => {
    const demo = await createTestDatabase();
    const demoStore = await PostgresEventStore.open({
      connectionString: demo.url,
      pollMs: 100,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    const demoData = await openReadDatabase({ connectionString: demo.url, ...READ_MODELS });
    try {
      await commitmentsContext.demo?.load(demoStore);
      await new ProjectionRunner(
        demoStore,
        demoData,
        [new CommitmentsProjection(demoStore), new ActionPlansProjection(demoStore)],
        { connectionString: demo.url, batchSize: 1000 },
      ).catchUpOnce();
      const demoQueries = new ActionPlanQueries(demoData);
      expect(await demoQueries.byId('cartagena-2023')).toMatchObject({
        registered: true,
        status: 'in_implementation',
        ogpCycle: 'OGP Local 2022-2023',
      });
      const rollup = await demoQueries.rollup('cartagena-2023');
      // The worked example of docs/open-data/action-plans.md: (5 × 100 + 70 + 80) / 7.
      expect(
        rollup?.commitments[0].progress.inputs.map((i) => [i.id, i.weight, i.progress]),
      ).toEqual([
        ['m1', 1, 100],
        ['m2', 1, 100],
        ['m3', 1, 100],
        ['m4', 1, 100],
        ['m5', 1, 100],
        ['m6', 1, 70],
        ['m7', 1, 80],
      ]);
      expect(rollup?.progress).toEqual({
        value: 92.86,
        inputs: [{ id: 'cartagena-cuenta-2023', weight: 1, progress: 92.86 }],
        excluded: [],
      });
    } finally {
      await demoData.destroy();
      await demoStore.close();
      await demo.drop();
    }
  });
});
