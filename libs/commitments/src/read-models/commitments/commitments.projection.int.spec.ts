import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, Upcasters } from '#event-store';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../test/support/database.js';
import { CommitmentCommandHandler } from '../../application/commitment-command.handler.js';
import { foldRecorded, readCommitmentStream } from '../../application/commitment-stream.js';
import { COMMITMENT_UPCASTERS } from '../../application/commitment-upcasters.js';
import {
  CARTAGENA_2023_ID,
  cartagena2023,
  cartagena2023History,
} from '../../../demo/cartagena-2023.js';
import {
  COMMITMENT_CODE_STREAM_PREFIX,
  COMMITMENT_SCHEMA_VERSIONS,
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
import { CommitmentsLeadAgencyId1795000000400 } from './migrations/1795000000400-commitments-lead-agency-id.js';

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
    store = await PostgresEventStore.open({
      connectionString: database.url,
      pollMs: 100,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
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

  it("lists by the lead agency's id, and still by its name", async () => {
    const { ogpValues: _v, ...template } = cartagena2023;
    await run({
      type: 'RegisterCommitment',
      data: {
        ...template,
        commitmentId: 'hacienda-1',
        code: 'Hacienda-1',
        leadAgency: { name: 'Secretaría de Hacienda Distrital' },
      },
    });
    await runner(1000).catchUpOnce();
    const ids = async (filter: Parameters<CommitmentQueries['page']>[0]) =>
      (await queries.page(filter, 100)).rows.map((row) => row.id);

    expect((await fromRows('hacienda-1'))?.leadAgency).toEqual({
      id: 'secretaria-de-hacienda-distrital',
      name: 'Secretaría de Hacienda Distrital',
      offices: [],
    });
    expect(await ids({ leadAgencyId: 'secretaria-de-hacienda-distrital' })).toEqual(['hacienda-1']);
    expect(await ids({ leadAgencyId: 'Secretaria-De-Hacienda-Distrital' })).toEqual(['hacienda-1']);
    expect(await ids({ leadAgencyId: 'secretaria-de-hacienda' })).toEqual([]);
    expect(await ids({ leadAgency: 'secretaría de hacienda distrital' })).toEqual(['hacienda-1']);
    expect(await ids({ leadAgencyId: 'alcaldia-cartagena' })).toContain(CARTAGENA_2023_ID);
  });

  it('filters by the search text without reading it back', async () => {
    await runner(1000).catchUpOnce();
    const [{ search }] = (await dataSource.query(
      'SELECT search FROM read.commitments WHERE id = $1',
      [CARTAGENA_2023_ID],
    )) as { search: string }[];
    const listed = await queries.page({ text: 'ACCOUNTABILITY Cartagena' }, 100);

    expect(search).toContain('cartagena');
    expect(listed.rows.map((row) => row.id)).toContain(CARTAGENA_2023_ID);
    // The text is for SQL's filter only: reads leave it out.
    expect(listed.rows.every((row) => !('search' in row))).toBe(true);
    expect(await queries.byCode('CartagenaCuenta-2023')).not.toHaveProperty('search');
    expect(await queries.byId(CARTAGENA_2023_ID)).not.toHaveProperty('search');
  });

  it('projects a registration recorded before agencies had ids with the id its name derives', async () => {
    const { ogpValues: _v, commitmentId: _id, ...template } = cartagena2023;
    await store.append(
      commitmentStream('old-1'),
      [
        {
          type: 'CommitmentRegistered',
          schemaVersion: 1,
          data: {
            ...template,
            commitmentId: 'old-1',
            code: 'Old-1',
            leadAgency: { name: 'Secretaría de Planeación', offices: [] },
            stakeholders: [],
            policyAreas: [],
            ogpValues: [],
            territories: { localidades: [], comunas: [], corregimientos: [] },
            inclusionGroups: [],
            registeredAt: '2023-01-10T14:00:00.000Z',
          },
          metadata: {
            actor: { subject: 'ana', role: 'steward', agency: 'Secretaría de Planeación' },
          },
        },
      ],
      'no_stream',
    );
    await runner(1000).catchUpOnce();

    const [row] = await dataSource.query(
      "SELECT lead_agency_id, lead_agency FROM read.commitments WHERE id = 'old-1'",
    );
    expect(row).toEqual({
      lead_agency_id: 'secretaria-de-planeacion',
      lead_agency: 'Secretaría de Planeación',
    });
    expect(await fromRows('old-1')).toEqual(await fromStream('old-1'));
  });

  it('finds a code two commitments registered before code claims share by record order', async () => {
    // Registered straight into their streams, as before codes were claimed: the later one
    // backdates its registration to before the first.
    const { ogpValues: _v, commitmentId: _id, ...template } = cartagena2023;
    const registration = (commitmentId: string, registeredAt: string) => ({
      type: 'CommitmentRegistered',
      schemaVersion: COMMITMENT_SCHEMA_VERSIONS.CommitmentRegistered,
      data: {
        ...template,
        commitmentId,
        code: 'Shared-Old',
        leadAgency: { id: 'alcaldia-cartagena', name: 'Alcaldía', offices: [] },
        stakeholders: [],
        policyAreas: [],
        ogpValues: [],
        territories: { localidades: [], comunas: [], corregimientos: [] },
        inclusionGroups: [],
        registeredAt,
      },
      metadata: { actor: { subject: 'ana', role: 'steward' }, occurredAt: registeredAt },
    });
    const first = await store.append(
      commitmentStream('shared-first'),
      [registration('shared-first', '2023-03-01T00:00:00.000Z')],
      'no_stream',
    );
    const later = await store.append(
      commitmentStream('shared-later'),
      [registration('shared-later', '2020-01-01T00:00:00.000Z')],
      'no_stream',
    );
    await runner(1000).catchUpOnce();

    const found = await queries.byCode('shared-old');
    expect(found && [found.id, found.registeredPosition]).toEqual([
      'shared-first',
      first.positions[0],
    ]);
    expect((await queries.byId('shared-later'))?.registeredPosition).toBe(later.positions[0]);
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

describe('the lead agency id migration', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('empties the rows written without ids and sets the projection back, to be rebuilt', async () => {
    const handler = new CommitmentCommandHandler(store);
    const registered = await handler.handle({
      command: { type: 'RegisterCommitment', data: cartagena2023 },
      issuer: system,
    });
    const runner = new ProjectionRunner(store, dataSource, [new CommitmentsProjection(store)], {
      connectionString: database.url,
    });
    await runner.catchUpOnce();
    const migration = new CommitmentsLeadAgencyId1795000000400();
    const queryRunner = dataSource.createQueryRunner();
    try {
      // The read model as it stood before the migration: rows without the columns.
      await migration.down(queryRunner);
      expect(await dataSource.query('SELECT id FROM read.commitments')).toEqual([
        { id: CARTAGENA_2023_ID },
      ]);
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }
    const emptied = await dataSource.query('SELECT count(*)::int AS n FROM read.commitments');
    const checkpoints = await runner.checkpoints();
    await runner.catchUpOnce();

    expect(emptied).toEqual([{ n: 0 }]);
    expect(checkpoints.commitments).toBe(0);
    expect(
      await dataSource.query(
        'SELECT id, lead_agency_id, registered_position::int FROM read.commitments',
      ),
    ).toEqual([
      {
        id: CARTAGENA_2023_ID,
        lead_agency_id: 'alcaldia-cartagena',
        registered_position: registered.positions[0],
      },
    ]);
  });
});
