import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, Upcasters } from '#event-store';
import { commitmentsContext, COMMITMENT_UPCASTERS } from '#commitments';
import { openReadDatabase, PersonalDataStore, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../test/support/database.js';
import { EvaluationCommandHandler } from '../../src/evaluations/application/evaluation-command.handler.js';
import { EvaluationsProjection } from '../../src/evaluations/read-models/evaluations/evaluations.projection.js';
import { EvaluationQueries } from '../../src/evaluations/read-models/evaluations/evaluations.queries.js';

/** The demo's Cartagena commitment, which these tests evaluate. */
export const CARTAGENA = 'cartagena-cuenta-2023';
export const CARTAGENA_AGENCY = 'alcaldia-cartagena';

/**
 * A fresh database holding the Cartagena demo commitment, with the evaluations' handler (over
 * a personal-data store with a test key), read model runner and queries.
 */
export async function evaluationWorld(options: { now?: Date; personalData?: boolean } = {}) {
  const database: TestDatabase = await createTestDatabase();
  const store = await PostgresEventStore.open({
    connectionString: database.url,
    pollMs: 100,
    upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
  });
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const personalData =
    options.personalData === false
      ? undefined
      : new PersonalDataStore({ pool, kek: randomBytes(32) });
  const dataSource: DataSource = await openReadDatabase({
    connectionString: database.url,
    ...READ_MODELS,
  });
  await commitmentsContext.demo?.load(store);
  const now = options.now;
  const handler = new EvaluationCommandHandler(store, personalData, now ? { now: () => now } : {});
  const runner = new ProjectionRunner(store, dataSource, [new EvaluationsProjection()], {
    connectionString: database.url,
    batchSize: 500,
  });
  return {
    database,
    store,
    pool,
    personalData,
    dataSource,
    handler,
    queries: new EvaluationQueries(dataSource),
    project: () => runner.catchUpOnce(),
    async close() {
      await dataSource.destroy();
      await store.close();
      await pool.end();
      await database.drop();
    },
  };
}

export type EvaluationWorld = Awaited<ReturnType<typeof evaluationWorld>>;
