import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, Upcasters, type RecordedEvent } from '#event-store';
import { commitmentsContext, COMMITMENT_UPCASTERS } from '#commitments';
import { participationContext } from '#participation';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../../test/support/database.js';
import { DEFAULT_THRESHOLDS, evaluateAll, foldAll, type FlagFiles } from '../../domain/index.js';
import { RedFlagFilesProjection } from './red-flag-files.projection.js';
import { RedFlagQueries } from './red-flag-files.queries.js';

// The read model keeps the fold's files batch after batch; what it answers must be what one
// fold over the whole log gives, which is what `cuenta flags` computes from an export.

const AS_OF = '2026-12-01T00:00:00.000Z';

describe('the red-flag files projection', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let queries: RedFlagQueries;

  const runner = (batchSize: number) =>
    new ProjectionRunner(store, dataSource, [new RedFlagFilesProjection()], {
      connectionString: database.url,
      batchSize,
    });

  async function everyEvent(raw: boolean): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readAll({ from: events.length, limit: 1000, raw });
      if (page.length === 0) return events;
      events.push(...page);
    }
  }

  async function files(): Promise<FlagFiles> {
    const rows: { key: string; file: FlagFiles[string] }[] = await dataSource.query(
      'SELECT key, file FROM read.red_flag_files',
    );
    return Object.fromEntries(rows.map((row) => [row.key, row.file]));
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      pollMs: 100,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS, ...participationContext.upcasters]),
    });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    queries = new RedFlagQueries(dataSource);
    await commitmentsContext.demo?.load(store);
    await participationContext.demo?.load(store);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('holds, in batches of any size, the files one fold over the whole log gives', async () => {
    const whole = foldAll(await everyEvent(false));
    expect(Object.keys(whole).length).toBeGreaterThan(3);
    for (const batchSize of [7, 1000]) {
      await runner(batchSize).rebuild();
      expect(await files()).toEqual(JSON.parse(JSON.stringify(whole)));
    }
  });

  it('answers the flags of the demo as the fold over the raw export does', async () => {
    await runner(50).catchUpOnce();
    const offline = evaluateAll(foldAll(await everyEvent(true)), AS_OF, DEFAULT_THRESHOLDS);
    expect(offline.length).toBeGreaterThan(0);
    expect(await queries.flags({}, AS_OF, DEFAULT_THRESHOLDS)).toEqual(offline);
  });
});
