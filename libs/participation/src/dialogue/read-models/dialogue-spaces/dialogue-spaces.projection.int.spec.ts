import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, Upcasters } from '#event-store';
import { commitmentsContext, COMMITMENT_UPCASTERS } from '#commitments';
import { foldRecorded, openReadDatabase, ProjectionRunner, readStreamUpTo } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../../test/support/database.js';
import { dialogueDemoSteps, loadDialogueDemo } from '../../../../demo/dialogue.js';
import { DIALOGUE_SPACE_STREAM } from '../../application/dialogue-space-stream.js';
import { dialogueSpaceStream } from '../../domain/index.js';
import { DialogueSpacesProjection } from './dialogue-spaces.projection.js';
import { DialogueSpaceQueries } from './dialogue-spaces.queries.js';

const HEARING = 'audiencia-publica-2023-12-07';
const COMMITMENT = 'cartagena-cuenta-2023';

describe('the dialogue spaces projection', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let queries: DialogueSpaceQueries;

  const runner = (batchSize: number) =>
    new ProjectionRunner(store, dataSource, [new DialogueSpacesProjection(store)], {
      connectionString: database.url,
      batchSize,
    });
  const ids = () =>
    [...new Set(dialogueDemoSteps.map((s) => s.command.data.dialogueSpaceId))].sort();
  const dump = () =>
    Promise.all([
      dataSource.query('SELECT * FROM read.dialogue_spaces ORDER BY id'),
      dataSource.query('SELECT * FROM read.improvement_actions ORDER BY 1, 2'),
    ]);

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      pollMs: 100,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    queries = new DialogueSpaceQueries(dataSource);
    await commitmentsContext.demo?.load(store);
    await loadDialogueDemo(store);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('shows every demo space exactly as folding its stream does', async () => {
    await runner(1000).catchUpOnce();

    for (const id of ids()) {
      const events = await readStreamUpTo(store, dialogueSpaceStream(id));
      const row = await queries.byId(id);
      expect(row).toEqual({
        space: foldRecorded(DIALOGUE_SPACE_STREAM, events),
        version: events.length,
      });
    }
  });

  it('loads the demo a second time without recording anything', async () => {
    const head = await store.head();
    await loadDialogueDemo(store);
    expect(await store.head()).toBe(head);
  });

  it("answers a commitment's spaces newest first and its actions by due date", async () => {
    await runner(1000).catchUpOnce();

    const spaces = await queries.ofCommitment(COMMITMENT);
    expect(spaces.map((row) => row.space.dialogueSpaceId)).toEqual([
      HEARING,
      'socializacion-localidad-3-2023-03-22',
      'socializacion-sociedad-civil-2023-03-15',
      'socializacion-dependencias-2023-02-22',
    ]);
    const actions = await queries.actionsOfCommitment(COMMITMENT);
    expect(actions.map((row) => [row.dialogueSpaceId, row.action.actionId])).toEqual([
      [HEARING, 'presupuesto-por-localidad'],
      [HEARING, 'mesas-territoriales'],
    ]);
    expect(await queries.ofCommitment('no-such-commitment')).toEqual([]);
  });

  it('filters and pages the list, and counts what the filter matches', async () => {
    await runner(1000).catchUpOnce();

    const first = await queries.page({}, 1);
    expect(first.rows.map((r) => r.space.dialogueSpaceId)).toEqual([HEARING]);
    expect(first.hasNextPage).toBe(true);
    const rest = await queries.page({}, 10, { startsAt: '2023-12-07T14:00:00.000Z', id: HEARING });
    expect(rest.rows).toHaveLength(3);
    expect(rest.hasNextPage).toBe(false);
    expect(await queries.count({ status: 'held' })).toBe(3);
    expect(await queries.count({ kind: 'public_hearing' })).toBe(1);
    expect(await queries.count({ territoryId: 'pasacaballos' })).toBe(1);
    expect(await queries.count({ commitmentId: 'other' })).toBe(0);
  });

  it('ends with the same rows when fed one event at a time, or rebuilt', async () => {
    await runner(1000).catchUpOnce();
    const batched = await dump();

    const single = runner(1);
    await single.rebuild();
    expect(await dump()).toEqual(batched);
  });
});
