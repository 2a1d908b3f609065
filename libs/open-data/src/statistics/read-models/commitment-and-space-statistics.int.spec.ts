import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { commitmentsContext } from '#commitments';
import { PostgresEventStore, Upcasters } from '#event-store';
import { participationContext } from '#participation';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../test/support/database.js';
import { insertCommitment, insertMilestone, insertSpace } from '../../../test/statistics-rows.js';

// What each counted table must hold, counted directly from the rows it counts, and what it
// holds (rows whose counts have all gone are left out of both).
const PROFILE = `action_plan_id, lead_agency_id, status, localidades, comunas, corregimientos,
  inclusion_groups`;
const DONE = `(completed_at AT TIME ZONE 'America/Bogota')::date`;
const MILESTONE_DONE = `left(to_char(m.completed_at AT TIME ZONE 'America/Bogota', 'YYYY-MM-DD'), length(m.planned_end))`;
const ATTENDANCE = `(space -> 'attendance' ->> 'total')::int`;
const COUNTED = {
  commitments: {
    direct: `
      SELECT ${PROFILE}, end_date, count(*)::int AS commitments,
        count(*) FILTER (WHERE ${DONE} <= end_date)::int AS on_time,
        count(*) FILTER (WHERE ${DONE} > end_date)::int AS late
      FROM read.commitments GROUP BY ${PROFILE}, end_date ORDER BY ${PROFILE}, end_date`,
    kept: `
      SELECT ${PROFILE}, end_date, commitments, on_time, late
      FROM read.commitment_statistics ORDER BY ${PROFILE}, end_date`,
    gone: `SELECT count(*)::int AS n FROM read.commitment_statistics
            WHERE commitments = 0`,
  },
  milestones: {
    // A milestone whose commitment is not there counts under a null profile.
    direct: `
      SELECT c.action_plan_id, c.lead_agency_id, c.status AS commitment_status, c.localidades,
        c.comunas, c.corregimientos, c.inclusion_groups, m.status, m.planned_end,
        count(*)::int AS milestones,
        count(*) FILTER (WHERE ${MILESTONE_DONE} <= m.planned_end)::int AS on_time,
        count(*) FILTER (WHERE ${MILESTONE_DONE} > m.planned_end)::int AS late
      FROM read.milestones m LEFT JOIN read.commitments c ON c.id = m.commitment_id
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    kept: `
      SELECT action_plan_id, lead_agency_id, commitment_status, localidades, comunas,
        corregimientos, inclusion_groups, status, planned_end, milestones, on_time, late
      FROM read.milestone_statistics
      ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    gone: `SELECT count(*)::int AS n FROM read.milestone_statistics
            WHERE milestones = 0`,
  },
  spaces: {
    direct: `
      SELECT territory_id, agency_id, status, count(*)::int AS spaces,
        count(*) FILTER (WHERE ${ATTENDANCE} IS NOT NULL)::int AS with_attendance,
        coalesce(sum(${ATTENDANCE}), 0)::int AS attendees
      FROM read.dialogue_spaces GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    kept: `
      SELECT territory_id, agency_id, status, spaces, with_attendance, attendees
      FROM read.dialogue_space_statistics ORDER BY 1, 2, 3`,
    gone: `SELECT count(*)::int AS n FROM read.dialogue_space_statistics
            WHERE spaces = 0`,
  },
};

type Counts = Record<keyof typeof COUNTED, unknown[]>;

/**
 * Asserts every counted table equals its direct count, with no key left counting nothing (as a
 * rebuild would write it); returns the direct counts.
 */
async function expectSameAsDirect(dataSource: DataSource): Promise<Counts> {
  const counts = {} as Counts;
  for (const [name, { direct, kept, gone }] of Object.entries(COUNTED)) {
    const expected: unknown[] = await dataSource.query(direct);
    expect({ [name]: await dataSource.query(kept) }).toEqual({ [name]: expected });
    expect({ [name]: await dataSource.query(gone) }).toEqual({ [name]: [{ n: 0 }] });
    counts[name as keyof Counts] = expected;
  }
  return counts;
}

describe("the statistics' counted commitments, milestones and spaces", () => {
  describe('as the projections write them', () => {
    let database: TestDatabase;
    let store: PostgresEventStore;
    let dataSource: DataSource;
    let runner: ProjectionRunner;

    beforeAll(async () => {
      database = await createTestDatabase();
      const contexts = [commitmentsContext, participationContext];
      store = await PostgresEventStore.open({
        connectionString: database.url,
        pollMs: 100,
        upcasters: new Upcasters(contexts.flatMap((context) => context.upcasters)),
      });
      dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
      for (const context of contexts) await context.demo?.load(store);
      runner = new ProjectionRunner(
        store,
        dataSource,
        contexts.flatMap((context) =>
          context.readModels.flatMap((model) => model.projections({ store, dataSource })),
        ),
        // Small batches: the demo's commitment changes status across many statements, with
        // its milestones already written.
        { connectionString: database.url, batchSize: 3 },
      );
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await store?.close();
      await database?.drop();
    });

    it('equal a direct count once the demo is projected', async () => {
      await runner.catchUpOnce();
      const counts = await expectSameAsDirect(dataSource);
      expect(counts.commitments.length).toBeGreaterThan(0);
      expect(counts.milestones.length).toBeGreaterThan(0);
      expect(counts.spaces.length).toBeGreaterThan(0);
    });

    it('equal a direct count after the read models are rebuilt', async () => {
      const before = await expectSameAsDirect(dataSource);
      // Counts gone wrong are counted again by the rebuild's reset.
      await dataSource.query(`
        UPDATE read.commitment_statistics SET commitments = commitments + 7;
        UPDATE read.milestone_statistics SET milestones = milestones + 7;
        UPDATE read.dialogue_space_statistics SET spaces = spaces + 7`);
      const outcomes = await runner.rebuild();
      expect(outcomes.map((outcome) => outcome.status)).toEqual(outcomes.map(() => 'rebuilt'));
      expect(await expectSameAsDirect(dataSource)).toEqual(before);
    });
  });

  describe('as rows are written, changed and removed', () => {
    let database: TestDatabase;
    let dataSource: DataSource;
    const sql = (text: string) => dataSource.query(text);

    beforeAll(async () => {
      database = await createTestDatabase();
      dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
      await insertCommitment(dataSource, {
        id: 'c1',
        status: 'completed',
        endDate: '2024-06-30',
        completedAt: '2024-07-01T03:00:00Z',
        localidades: ['Localidad Histórica y del Caribe Norte'],
        inclusionGroups: ['mujeres'],
      });
      await insertCommitment(dataSource, {
        id: 'c2',
        agencyId: 'salud',
        actionPlanId: 'plan-2024',
        endDate: '2024-01-31',
        localidades: ['localidad-2'],
        comunas: ['ucg-4'],
        inclusionGroups: ['mujeres', 'jóvenes'],
      });
      await insertCommitment(dataSource, {
        id: 'c3',
        status: 'completed',
        endDate: '2024-01-31',
        completedAt: '2024-02-15T15:00:00Z',
      });
      for (const [commitmentId, id, status, plannedEnd, completedAt] of [
        ['c1', 'm1', 'completed', '2024-05', '2024-05-20T15:00:00Z'],
        ['c1', 'm2', 'completed', '2024-05-10', '2024-05-11T04:00:00Z'],
        ['c2', 'm1', 'delayed', '2024-03', undefined],
        ['c2', 'm2', 'scheduled', '2024-09', undefined],
        ['c3', 'm1', 'completed', '2024-01', '2024-02-01T15:00:00Z'],
      ] as const) {
        await insertMilestone(dataSource, { commitmentId, id, status, plannedEnd, completedAt });
      }
      await insertSpace(dataSource, { id: 's1', territoryId: 'localidad-1', attendance: 5 });
      await insertSpace(dataSource, { id: 's2', territoryId: 'localidad-1', attendance: 12 });
      await insertSpace(dataSource, { id: 's3', status: 'convened' });
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await database?.drop();
    });

    it('are counted from the rows already there when their migration runs', async () => {
      const counted = await expectSameAsDirect(dataSource);
      // As a database written before the counted tables existed: the migrations undone, the
      // latest first, back to the one that created them.
      const countedTables = async () => {
        const [{ tables }] = await sql(
          `SELECT count(*)::int AS tables FROM pg_tables
            WHERE schemaname = 'read' AND tablename IN ('commitment_statistics',
              'milestone_statistics', 'dialogue_space_statistics')`,
        );
        return tables as number;
      };
      for (let undone = 0; undone < 3 && (await countedTables()) > 0; undone++) {
        await dataSource.undoLastMigration();
      }
      expect(await countedTables()).toBe(0);
      await dataSource.runMigrations();
      expect(await expectSameAsDirect(dataSource)).toEqual(counted);
    });

    it('equal a direct count after rows are inserted one by one and many at a time', async () => {
      await expectSameAsDirect(dataSource);
      // Copies of rows, each with another id (and, for commitments, end date).
      await sql(`
        INSERT INTO read.commitments
        SELECT (jsonb_populate_record(c, jsonb_build_object('id', c.id || '-' || i,
          'end_date', c.end_date + i))).*
        FROM read.commitments c, generate_series(1, 3) i WHERE c.id IN ('c1', 'c2')`);
      await sql(`
        INSERT INTO read.milestones
        SELECT (jsonb_populate_record(m, jsonb_build_object('commitment_id', m.commitment_id || '-' || i))).*
        FROM read.milestones m, generate_series(1, 3) i`);
      const counts = await expectSameAsDirect(dataSource);
      expect(counts.commitments).toHaveLength(9);
    });

    it('equal a direct count when commitments change what they are counted by', async () => {
      // Status, territories, groups, plan, agency, end date and completion, in one statement.
      await sql(`
        UPDATE read.commitments SET status = 'completed', completed_at = '2024-03-01T12:00:00Z'
         WHERE id IN ('c2', 'c1-1')`);
      await sql(`
        UPDATE read.commitments SET localidades = ARRAY['localidad-3'], comunas = '{}',
          inclusion_groups = ARRAY['indígenas'], action_plan_id = 'plan-2025',
          lead_agency_id = 'transito', end_date = end_date + 30
         WHERE id LIKE '%-%' OR id = 'c3'`);
      await expectSameAsDirect(dataSource);
      // A change that moves nothing (a new version) leaves the counted rows as they were.
      const before: unknown[] = await sql(
        'SELECT * FROM read.milestone_statistics ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9',
      );
      await sql('UPDATE read.commitments SET version = version + 1, last_position = 99');
      expect(
        await sql('SELECT * FROM read.milestone_statistics ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9'),
      ).toEqual(before);
      await expectSameAsDirect(dataSource);
    });

    it('equal a direct count as milestones change, move and lose their commitment', async () => {
      await sql(`
        UPDATE read.milestones SET status = 'completed', completed_at = '2024-10-02T01:00:00Z'
         WHERE status = 'scheduled'`);
      await sql(`UPDATE read.milestones SET planned_end = '2024-02' WHERE id = 'm1'`);
      await sql(
        `UPDATE read.milestones SET commitment_id = 'c3' WHERE commitment_id = 'c2-3' AND id = 'm2'`,
      );
      await expectSameAsDirect(dataSource);
      // Milestones of a commitment the read model does not hold, then the commitment.
      await insertMilestone(dataSource, { commitmentId: 'late', id: 'm1', status: 'delayed' });
      await insertMilestone(dataSource, { commitmentId: 'late', id: 'm2' });
      await expectSameAsDirect(dataSource);
      await insertCommitment(dataSource, { id: 'late', localidades: ['localidad-1'] });
      await expectSameAsDirect(dataSource);
      // A commitment renamed, then removed: its milestones stay, under no commitment.
      await sql(`UPDATE read.commitments SET id = 'renamed' WHERE id = 'late'`);
      await expectSameAsDirect(dataSource);
      await sql(`DELETE FROM read.commitments WHERE id IN ('c1', 'c2-2')`);
      await expectSameAsDirect(dataSource);
      await sql(`DELETE FROM read.milestones WHERE commitment_id = 'c1-1' OR id = 'm2'`);
      await expectSameAsDirect(dataSource);
    });

    it('equal a direct count as dialogue spaces change and go', async () => {
      await sql(`
        UPDATE read.dialogue_spaces SET status = 'held',
          space = jsonb_set(space, '{attendance}', '{"total": 40}')
         WHERE id = 's3'`);
      await sql(`UPDATE read.dialogue_spaces SET territory_id = 'ucg-2' WHERE id = 's1'`);
      await sql(`UPDATE read.dialogue_spaces SET space = space - 'attendance' WHERE id = 's2'`);
      await expectSameAsDirect(dataSource);
      await sql(`DELETE FROM read.dialogue_spaces WHERE id = 's1'`);
      await expectSameAsDirect(dataSource);
    });

    it('equal a direct count after a table is emptied on its own', async () => {
      // The milestones stay, under no commitment; then they go too.
      await sql('TRUNCATE read.commitments');
      const counts = await expectSameAsDirect(dataSource);
      expect(counts.commitments).toEqual([]);
      expect(counts.milestones.length).toBeGreaterThan(0);
      await sql('TRUNCATE read.milestones, read.dialogue_spaces');
      expect(await expectSameAsDirect(dataSource)).toEqual({
        commitments: [],
        milestones: [],
        spaces: [],
      });
    });
  });
});
