import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '#event-store';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../../test/support/database.js';
import { DEMO_PRIORITIZATION_ID, prioritizationDemo } from '../../../../demo/prioritization.js';
import { PrioritizationCommandHandler } from '../../application/prioritization-command.handler.js';
import { PrioritizationTimeline } from '../../application/prioritization-timeline.js';
import { countedBallots, tallyPrioritization } from '../../domain/index.js';
import { PrioritizationsProjection } from './prioritizations.projection.js';
import { PrioritizationQueries } from './prioritizations.queries.js';

const steward = {
  kind: 'trusted' as const,
  actor: { subject: 'test', role: 'steward', agency: 'alcaldia-cartagena' },
};

describe('the prioritizations projection', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let queries: PrioritizationQueries;
  let timeline: PrioritizationTimeline;

  const runner = (batchSize: number) =>
    new ProjectionRunner(store, dataSource, [new PrioritizationsProjection()], {
      connectionString: database.url,
      batchSize,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url, pollMs: 100 });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    queries = new PrioritizationQueries(dataSource);
    timeline = new PrioritizationTimeline(store);
    await prioritizationDemo.load(store);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('shows the demo exercise as folding its stream does, in any batch size', async () => {
    for (const batchSize of [1, 5, 1000]) {
      await runner(batchSize).rebuild();
      const row = await queries.byId(DEMO_PRIORITIZATION_ID);
      const { state, version } = await timeline.snapshot(DEMO_PRIORITIZATION_ID);
      if (state.status !== 'closed') throw new Error('the demo exercise should be closed');
      expect(row).toMatchObject({
        status: 'closed',
        commitmentId: 'cartagena-cuenta-2023',
        milestoneId: 'm2',
        ballotsCast: state.ballotsCast,
        participants: countedBallots(state.ballots).length,
        standings: state.result.standings,
        version,
      });
      expect(row?.ballotsCast).toBe(12);
      expect(row?.participants).toBe(11);
    }
  });

  it("records a result that the recount of the demo's log matches", async () => {
    const events = await timeline.events(DEMO_PRIORITIZATION_ID);
    expect(tallyPrioritization(events).outcome).toBe('match');
  });

  it('loads the demo once: a second load records nothing new', async () => {
    const before = (await store.readAll({ limit: 1000 })).length;
    await prioritizationDemo.load(store);
    expect((await store.readAll({ limit: 1000 })).length).toBe(before);
  });

  it('lists exercises newest first, a page at a time, and counts ballots as they come', async () => {
    const handler = new PrioritizationCommandHandler(store);
    for (const id of ['otro-1', 'otro-2']) {
      await handler.handle({
        command: {
          type: 'OpenPrioritization',
          data: {
            prioritizationId: id,
            title: `Ejercicio ${id}`,
            agencyId: 'alcaldia-cartagena',
            topics: [
              { id: 'a', title: 'A' },
              { id: 'b', title: 'B' },
            ],
            opensAt: '2023-01-01T00:00:00.000Z',
            closesAt: '2099-01-01T00:00:00.000Z',
            method: 'borda',
          },
        },
        issuer: steward,
      });
    }
    const cast = (participant: string) =>
      handler.handle({
        command: {
          type: 'CastBallot',
          data: { prioritizationId: 'otro-2', participant, ranking: ['b', 'a'] },
        },
        issuer: { kind: 'trusted', actor: { subject: participant, role: 'anonymous' } },
      });
    await cast('anon:1');
    await cast('anon:1');
    await cast('anon:2');
    await runner(1000).catchUpOnce();

    const first = await queries.list(2);
    expect(first.rows.map((row) => row.id)).toEqual(['otro-2', 'otro-1']);
    expect(first.hasNextPage).toBe(true);
    expect(first.rows[0]).toMatchObject({ status: 'open', ballotsCast: 3, participants: 2 });
    const next = await queries.list(2, { openedPosition: first.rows[1].openedPosition });
    expect(next.rows.map((row) => row.id)).toEqual([DEMO_PRIORITIZATION_ID]);
    expect(next.hasNextPage).toBe(false);
    expect(await queries.count()).toBe(3);
  });

  it("follows the log's head past other streams' events, which it skips", async () => {
    await store.append(
      'other-1',
      [{ type: 'SomethingElse', data: { n: 1 }, metadata: { actor: null } }],
      'any',
    );
    await runner(1000).catchUpOnce();
    const [checkpoint] = (await dataSource.query(
      "SELECT position FROM read.projection_checkpoints WHERE name = 'prioritizations'",
    )) as { position: string }[];
    expect(Number(checkpoint.position)).toBe(await store.head());
    expect(await queries.count()).toBe(3);
  });
});
