import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openReadDatabase } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../test/support/database.js';
import {
  insertCommitment,
  insertEvaluation,
  insertMilestone,
  insertSpace,
} from '../../../test/statistics-rows.js';
import { tabulate, type StatisticsGrouping } from '../domain/statistics.js';
import { StatisticsQueries } from './statistics.queries.js';

const AS_OF = '2024-06-01';
const shown = (value: number) => ({ suppressed: false, value });
const few = { suppressed: true, value: null, reason: 'fewer_than_minimum' };

describe('statistics over the read models', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let queries: StatisticsQueries;

  const table = async (grouping: StatisticsGrouping, filter = {}) => {
    const { groups, total } = await queries.table(grouping, filter, AS_OF);
    return tabulate(groups, total);
  };
  const group = async (grouping: StatisticsGrouping, key: string | null, filter = {}) => {
    const found = (await table(grouping, filter)).groups.find((g) => g.key === key);
    if (found === undefined) throw new Error(`no group ${String(key)}`);
    return found;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    queries = new StatisticsQueries(dataSource);
    // c1: localidad 1 by name, completed on its end day in Bogotá (22:00, 03:00 UTC next day).
    await insertCommitment(dataSource, {
      id: 'c1',
      agencyId: 'planeacion',
      agency: 'Secretaría de Planeación',
      status: 'completed',
      endDate: '2024-06-30',
      completedAt: '2024-07-01T03:00:00Z',
      localidades: ['Localidad Histórica y del Caribe Norte'],
      inclusionGroups: ['mujeres'],
    });
    // c2: localidad 2 by id, open after its end date.
    await insertCommitment(dataSource, {
      id: 'c2',
      agencyId: 'salud',
      agency: 'DADIS',
      actionPlanId: 'plan-2024',
      endDate: '2024-01-31',
      localidades: ['localidad-2'],
      inclusionGroups: ['mujeres', 'jóvenes'],
    });
    // c3: no territory, completed late.
    await insertCommitment(dataSource, {
      id: 'c3',
      agencyId: 'planeacion',
      agency: 'Secretaría de Planeación',
      status: 'completed',
      endDate: '2024-01-31',
      completedAt: '2024-02-15T15:00:00Z',
    });
    await insertMilestone(dataSource, {
      commitmentId: 'c1',
      id: 'm1',
      status: 'completed',
      plannedEnd: '2024-05',
      completedAt: '2024-05-20T15:00:00Z',
    });
    await insertMilestone(dataSource, {
      commitmentId: 'c2',
      id: 'm1',
      status: 'delayed',
      plannedEnd: '2024-03',
    });
    // Five evaluators of c1 in UCG 2 (in localidad 1), four of c2 in localidad 2, and one
    // hidden evaluation, which counts nowhere.
    for (const [index, clarity] of [4, 4, 5, 5, 2].entries()) {
      await insertEvaluation(dataSource, {
        id: `e1-${index}`,
        commitmentId: 'c1',
        agencyId: 'planeacion',
        territory: 'ucg-2',
        clarity,
        answeredAfterDays: index + 1,
      });
    }
    for (let index = 0; index < 4; index++) {
      await insertEvaluation(dataSource, {
        id: `e2-${index}`,
        commitmentId: 'c2',
        agencyId: 'salud',
        territory: 'localidad-2',
        clarity: 3,
      });
    }
    await insertEvaluation(dataSource, {
      id: 'e-hidden',
      commitmentId: 'c1',
      agencyId: 'planeacion',
      territory: 'ucg-2',
      clarity: 1,
      hidden: true,
    });
    await insertSpace(dataSource, {
      id: 's1',
      agencyId: 'planeacion',
      territoryId: 'localidad-1',
      commitmentIds: ['c1'],
      attendance: 5,
    });
    await insertSpace(dataSource, {
      id: 's2',
      agencyId: 'salud',
      territoryId: 'ucg-12',
      commitmentIds: ['c2'],
      attendance: 4,
    });
    await insertSpace(dataSource, {
      id: 's3',
      agencyId: 'planeacion',
      status: 'convened',
      territoryId: 'localidad-1',
      commitmentIds: ['c1'],
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('groups by localidad, a UCG counting in its localidad, what names none last', async () => {
    const { groups } = await table('localidad');
    expect(groups.map((g) => [g.key, g.label])).toEqual([
      ['localidad-1', 'Localidad Histórica y del Caribe Norte'],
      ['localidad-2', 'Localidad de la Virgen y Turística'],
      ['localidad-3', 'Localidad Industrial y de la Bahía'],
      [null, null],
    ]);
  });

  it('counts commitments and milestones on time, late and overdue, never suppressed', async () => {
    const first = await group('localidad', 'localidad-1');
    expect(first.commitments).toMatchObject({
      total: 1,
      completedOnTime: 1,
      completedLate: 0,
      overdue: 0,
    });
    expect(first.milestones).toMatchObject({ total: 1, completedOnTime: 1 });
    const second = await group('localidad', 'localidad-2');
    expect(second.commitments).toMatchObject({ total: 1, overdue: 1 });
    expect(second.commitments.byStatus).toContainEqual({ status: 'in_progress', count: 1 });
    expect(second.milestones).toMatchObject({ total: 1, overdue: 1 });
    expect((await group('localidad', null)).commitments).toMatchObject({
      total: 1,
      completedLate: 1,
    });
  });

  it('shows evaluations of 5 people and suppresses those of 4', async () => {
    expect((await group('localidad', 'localidad-1')).evaluations).toEqual({
      count: shown(5),
      meanClarity: shown(4),
      meanProgress: few,
      meanDialogueUsefulness: few,
      shareAnswered: shown(1),
      medianDaysToAnswer: shown(3),
    });
    expect((await group('localidad', 'localidad-2')).evaluations).toEqual({
      count: few,
      meanClarity: few,
      meanProgress: few,
      meanDialogueUsefulness: few,
      shareAnswered: few,
      medianDaysToAnswer: few,
    });
  });

  it('shows attendance of 5 people and suppresses that of 4', async () => {
    const first = await group('localidad', 'localidad-1');
    expect(first.dialogueSpaces).toEqual({
      total: 2,
      withAttendance: 1,
      byStatus: [
        { status: 'convened', count: 1 },
        { status: 'held', count: 1 },
        { status: 'cancelled', count: 0 },
      ],
    });
    expect(first.attendance).toEqual({ total: shown(5), meanPerSpace: shown(5) });
    expect((await group('localidad', 'localidad-3')).attendance).toEqual({
      total: few,
      meanPerSpace: few,
    });
  });

  it('totals every row once, hidden evaluations left out', async () => {
    const { total } = await table('inclusion_group');
    expect(total.commitments.total).toBe(3);
    expect(total.evaluations.count).toEqual(shown(9));
    expect(total.evaluations.meanClarity).toEqual(shown(3.56));
    expect(total.attendance.total).toEqual(shown(9));
  });

  it('counts a commitment in each inclusion group it is aimed at', async () => {
    const { groups } = await table('inclusion_group');
    expect(groups.map((g) => [g.key, g.commitments.total])).toEqual([
      ['jóvenes', 1],
      ['mujeres', 2],
      [null, 1],
    ]);
  });

  it('withholds a second group when only one was suppressed, so the total gives nothing away', async () => {
    const { groups } = await table('agency');
    expect(groups.map((g) => [g.key, g.label])).toEqual([
      ['planeacion', 'Secretaría de Planeación'],
      ['salud', 'DADIS'],
    ]);
    expect(groups[0].evaluations.count).toEqual({
      suppressed: true,
      value: null,
      reason: 'secondary',
    });
    expect(groups[1].evaluations.count).toEqual(few);
  });

  it('groups by the status of the commitments', async () => {
    const { groups } = await table('status');
    expect(groups.map((g) => [g.key, g.commitments.total])).toEqual([
      ['completed', 2],
      ['in_progress', 1],
    ]);
  });

  it('counts only what the filter names', async () => {
    const plan = await table('agency', { actionPlanId: 'plan-2024' });
    expect(plan.total.commitments.total).toBe(1);
    expect(plan.groups.map((g) => g.key)).toEqual(['salud']);
    const agency = await table('status', { agencyId: 'planeacion' });
    expect(agency.total.commitments.total).toBe(2);
    expect(agency.total.evaluations.count).toEqual(shown(5));
    expect(agency.total.dialogueSpaces.total).toBe(2);
  });
});
