import { describe, expect, it } from '@jest/globals';
import type {
  ChangeLogDimension,
  ChangeLogFilter,
  ChangeLogGroup,
} from '../read-models/audit-log/audit-log.queries.js';
import { auditReport, formatAuditReport, reportPeriod } from './audit-report.js';

describe('reportPeriod', () => {
  it('counts both days, up to the start of the day after --to', () => {
    expect(reportPeriod('2026-01-01', '2026-03-31')).toEqual({
      from: new Date('2026-01-01T00:00:00.000Z'),
      to: new Date('2026-04-01T00:00:00.000Z'),
    });
  });

  it.each([
    ['2026-02-30', '2026-03-01', '--from must be a date as YYYY-MM-DD (got "2026-02-30")'],
    ['2026-01-01', '31/03/2026', '--to must be a date as YYYY-MM-DD (got "31/03/2026")'],
    ['2026-03-02', '2026-03-01', '--to must not be before --from (got 2026-03-01 < 2026-03-02)'],
  ])('refuses %s to %s, naming the flag', (from, to, message) => {
    expect(() => reportPeriod(from, to)).toThrow(message);
  });
});

describe('auditReport', () => {
  const groups: ChangeLogGroup[] = [
    {
      month: '2026-01',
      agency: 'a1',
      role: 'steward',
      actor: 'ana',
      type: 'MilestoneRescheduled',
      count: 3,
    },
    { month: '2026-02', agency: null, role: null, actor: null, type: 'CheckpointSigned', count: 1 },
  ];
  let asked: { filter: ChangeLogFilter; groupBy: readonly ChangeLogDimension[] } | undefined;
  const queries = {
    changeLogSummary: (filter: ChangeLogFilter, groupBy: readonly ChangeLogDimension[]) => {
      asked = { filter, groupBy };
      return Promise.resolve(groups);
    },
  };

  it('asks for every dimension of one agency, and totals the counts', async () => {
    const report = await auditReport(queries, {
      from: '2026-01-01',
      to: '2026-02-28',
      agency: 'a1',
    });
    expect(asked).toEqual({
      filter: {
        recorded: { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') },
        agencies: ['a1'],
      },
      groupBy: ['month', 'agency', 'role', 'actor', 'type'],
    });
    expect(report.total).toBe(4);
    expect(report.agency).toBe('a1');
  });

  it('prints CSV with a header, empty cells for no actor, and quoted commas', async () => {
    const report = await auditReport(
      { changeLogSummary: () => Promise.resolve([{ ...groups[0], actor: 'ana, jr' }, groups[1]]) },
      { from: '2026-01-01', to: '2026-02-28' },
    );
    expect(formatAuditReport(report, 'csv')).toBe(
      'month,agency,role,actor,type,count\r\n' +
        '2026-01,a1,steward,"ana, jr",MilestoneRescheduled,3\r\n' +
        '2026-02,,,,CheckpointSigned,1\r\n',
    );
  });

  it('prints JSON that reads back as the report', async () => {
    const report = await auditReport(queries, { from: '2026-01-01', to: '2026-02-28' });
    expect(JSON.parse(formatAuditReport(report, 'json'))).toEqual({
      from: '2026-01-01',
      to: '2026-02-28',
      agency: null,
      total: 4,
      groups: [
        {
          month: '2026-01',
          agency: 'a1',
          role: 'steward',
          actor: 'ana',
          type: 'MilestoneRescheduled',
          count: 3,
        },
        {
          month: '2026-02',
          agency: null,
          role: null,
          actor: null,
          type: 'CheckpointSigned',
          count: 1,
        },
      ],
    });
  });
});
