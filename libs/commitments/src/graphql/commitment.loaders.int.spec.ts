import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, Upcasters } from '#event-store';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../test/support/database.js';
import { CommitmentCommandHandler } from '../application/commitment-command.handler.js';
import { CommitmentTimeline } from '../application/commitment-timeline.js';
import { COMMITMENT_UPCASTERS } from '../application/commitment-upcasters.js';
import { cartagena2023, cartagena2023Milestones } from '../../demo/cartagena-2023.js';
import type { CommitmentCommand, RegisteredCommitment } from '../domain/index.js';
import { CommitmentsProjection } from '../read-models/commitments/commitments.projection.js';
import { CommitmentQueries } from '../read-models/commitments/commitments.queries.js';
import { CommitmentLoaders } from './commitment.loaders.js';
import { commitmentFromState } from './commitment.mapper.js';

// The nested lists of a commitment read while the projection moves on: a list must be the
// one of the version the answer shows, never the read model's newer one.

const system = { kind: 'trusted' as const, actor: { subject: 'test', role: 'administrator' } };

describe('the lists of a commitment shown at a version', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let handler: CommitmentCommandHandler;
  let queries: CommitmentQueries;
  let timeline: CommitmentTimeline;
  let runner: ProjectionRunner;

  const run = (command: CommitmentCommand) => handler.handle({ command, issuer: system });
  /** The lists folded from the log at `version`, as a time travel shows them. */
  const foldedAt = async (id: string, version: number) => {
    const { state } = await timeline.snapshot(id, { atVersion: version });
    const { folded } = commitmentFromState(state as RegisteredCommitment, version);
    if (!folded) throw new Error(`${id} has no lists at version ${version}`);
    return folded;
  };
  const withoutRowVersion = <T extends { commitmentVersion?: number }>(items: T[]) =>
    items.map(({ commitmentVersion: _version, ...item }) => item);

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    handler = new CommitmentCommandHandler(store);
    queries = new CommitmentQueries(dataSource);
    timeline = new CommitmentTimeline(store);
    runner = new ProjectionRunner(store, dataSource, [new CommitmentsProjection(store)], {
      connectionString: database.url,
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('folds them from the log when the read model moved on after the commitment was read', async () => {
    const id = 'lists-behind';
    await run({
      type: 'RegisterCommitment',
      data: { ...cartagena2023, commitmentId: id, code: 'CTG-LB' },
    });
    for (const milestone of cartagena2023Milestones) {
      await run({ type: 'AddMilestone', data: { commitmentId: id, ...milestone } });
    }
    await runner.catchUpOnce();
    const shown = await queries.byId(id);
    // A batch commits between the commitment's read and its lists'.
    await run({ type: 'PublishCommitment', data: { commitmentId: id } });
    await run({
      type: 'ReportProgress',
      data: {
        commitmentId: id,
        milestoneId: 'm1',
        percent: 50,
        evidence: [
          {
            kind: 'link',
            url: 'https://cartagena.gov.co/informes/lists-behind',
            sha256: 'b'.repeat(64),
            mediaType: 'text/html',
            description: 'Informe de avance',
          },
        ],
      },
    });
    await runner.catchUpOnce();
    const loaders = new CommitmentLoaders(queries, timeline);

    const at8 = { id, version: shown?.version ?? 0 };
    const [milestones, evidence, budget] = await Promise.all([
      loaders.milestones(at8),
      loaders.evidence(at8),
      loaders.budget(at8),
    ]);

    const expected = await foldedAt(id, 8);
    expect(shown?.version).toBe(8);
    expect((await queries.byId(id))?.version).toBe((await timeline.events(id)).length);
    expect((await timeline.events(id)).length).toBeGreaterThan(8);
    expect(milestones).toEqual(expected.milestones);
    expect(milestones.map((m) => m.progress)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(evidence).toEqual([]);
    expect(budget).toEqual(expected.budget);
  });

  it('reads them from the read model when it still shows the version', async () => {
    const id = 'lists-current';
    await run({
      type: 'RegisterCommitment',
      data: { ...cartagena2023, commitmentId: id, code: 'CTG-LC' },
    });
    for (const milestone of cartagena2023Milestones) {
      await run({ type: 'AddMilestone', data: { commitmentId: id, ...milestone } });
    }
    await runner.catchUpOnce();
    const loaders = new CommitmentLoaders(queries, timeline);

    const milestones = await loaders.milestones({ id, version: 8 });

    expect(milestones.map((m) => m.commitmentVersion)).toEqual([8, 8, 8, 8, 8, 8, 8]);
    expect(withoutRowVersion(milestones)).toEqual(
      withoutRowVersion(
        (await foldedAt(id, 8)).milestones.map(({ evidenceList: _evidence, ...m }) => m),
      ),
    );
  });
});
