import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  PostgresEventStore,
  Upcasters,
  type EventStore,
  type ReadStreamOptions,
} from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { cartagena2023, cartagena2023Milestones } from '../../demo/cartagena-2023.js';
import type { CommitmentCommand, CommitmentState } from '../domain/index.js';
import { CommitmentCommandHandler } from './commitment-command.handler.js';
import { CommitmentTimeline } from './commitment-timeline.js';
import { COMMITMENT_UPCASTERS } from './commitment-upcasters.js';

// History pages read from a real PostgreSQL event store. Every test uses a commitment of its own.

const system = { kind: 'trusted' as const, actor: { subject: 'test', role: 'administrator' } };

/** The store, with every readStream call's options written to `reads`. */
function counting(store: EventStore, reads: ReadStreamOptions[]): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'readStream') return Reflect.get(target, property, receiver);
      return (stream: string, options: ReadStreamOptions = {}) => {
        reads.push(options);
        return target.readStream(stream, options);
      };
    },
  });
}

describe('history pages on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let handler: CommitmentCommandHandler;

  const run = (command: CommitmentCommand) => handler.handle({ command, issuer: system });
  /** The Cartagena commitment under `commitmentId`, with its seven milestones: 8 events. */
  const registered = async (commitmentId: string) => {
    await run({
      type: 'RegisterCommitment',
      data: { ...cartagena2023, commitmentId, code: `CTG-${commitmentId}` },
    });
    for (const milestone of cartagena2023Milestones) {
      await run({ type: 'AddMilestone', data: { commitmentId, ...milestone } });
    }
  };
  const versions = (page: { entries: { event: { streamVersion: number } }[] }) =>
    page.entries.map((entry) => entry.event.streamVersion);

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    handler = new CommitmentCommandHandler(store);
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('folds each page up to its own newest event, whatever was appended after another', async () => {
    // Two history fields of one request, read before and after an append.
    await registered('two-pages');
    const timeline = new CommitmentTimeline(store);
    const earlier = await timeline.historyPage({ commitmentId: 'two-pages', first: 1 });
    const earlierStates = await earlier.entries[0].states;
    await run({ type: 'PublishCommitment', data: { commitmentId: 'two-pages' } });

    const later = await timeline.historyPage({ commitmentId: 'two-pages', first: 1 });
    const laterStates = await later.entries[0].states;
    const milestones = (state: CommitmentState) =>
      state.status === 'empty' ? [] : state.milestones.map((m) => m.id);

    expect([versions(earlier), earlier.totalCount()]).toEqual([[8], 8]);
    expect([versions(later), later.totalCount()]).toEqual([[9], 9]);
    expect([
      milestones(earlierStates.before).length,
      milestones(earlierStates.after).at(-1),
    ]).toEqual([6, 'm7']);
    expect([laterStates.before.status, laterStates.after.status]).toEqual(['draft', 'published']);
    expect(await earlier.entries[0].states).toBe(earlierStates);
  });

  it("reads only the page's events until its states or the total after a cursor are asked for", async () => {
    await registered('lazy-page');
    const reads: ReadStreamOptions[] = [];
    const timeline = new CommitmentTimeline(counting(store, reads));

    const first = await timeline.historyPage({ commitmentId: 'lazy-page', first: 3 });
    const total = first.totalCount();
    const pageOnly = reads.length;
    await Promise.all(first.entries.map((entry) => entry.states));
    await Promise.all(first.entries.map((entry) => entry.states));
    const withChanges = reads.length;
    const second = await timeline.historyPage({ commitmentId: 'lazy-page', first: 3, before: 6 });
    const secondPageOnly = reads.length;
    const secondTotal = await second.totalCount();

    expect([versions(first), first.hasNextPage, total]).toEqual([[8, 7, 6], true, 8]);
    expect([versions(second), second.hasNextPage, secondTotal]).toEqual([[5, 4, 3], true, 8]);
    expect([pageOnly, withChanges, secondPageOnly, reads.length]).toEqual([1, 2, 3, 4]);
    expect(reads).toEqual([
      { direction: 'backwards', fromVersion: undefined, limit: 4 },
      { fromVersion: 1, limit: 8 },
      { direction: 'backwards', fromVersion: 5, limit: 4 },
      { direction: 'backwards', limit: 1 },
    ]);
  });

  it('shows the history up to a given version only, without reading past it', async () => {
    // The read model shows version 8 while the log already holds 9.
    await registered('read-model-behind');
    await run({ type: 'PublishCommitment', data: { commitmentId: 'read-model-behind' } });
    const reads: ReadStreamOptions[] = [];
    const timeline = new CommitmentTimeline(counting(store, reads));

    const newest = await timeline.historyPage({
      commitmentId: 'read-model-behind',
      first: 2,
      version: 8,
    });
    const afterCursor = await timeline.historyPage({
      commitmentId: 'read-model-behind',
      first: 2,
      before: 8,
      version: 8,
    });
    const cursorPastIt = await timeline.historyPage({
      commitmentId: 'read-model-behind',
      first: 2,
      before: 10,
      version: 8,
    });

    expect([versions(newest), newest.hasNextPage, newest.totalCount()]).toEqual([[8, 7], true, 8]);
    expect([versions(afterCursor), afterCursor.totalCount()]).toEqual([[7, 6], 8]);
    expect([versions(cursorPastIt), cursorPastIt.totalCount()]).toEqual([[8, 7], 8]);
    const newestStates = await newest.entries[0].states;
    const milestoneIds = (state: CommitmentState) =>
      state.status === 'empty' ? [] : state.milestones.map((m) => m.id);
    expect([
      milestoneIds(newestStates.before).includes('m7'),
      milestoneIds(newestStates.after).at(-1),
    ]).toEqual([false, 'm7']);
    expect(reads).toContainEqual({ direction: 'backwards', fromVersion: 8, limit: 3 });
    expect(reads.some((read) => (read.fromVersion ?? 0) > 8)).toBe(false);
  });
});
