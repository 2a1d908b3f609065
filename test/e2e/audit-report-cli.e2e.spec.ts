import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestLog, type TestLog } from './cli-harness.js';

// `cuenta audit-report` as an operator runs it: a log of ten progress reports by one steward,
// the audit log projected by `cuenta replay audit-log`, then the report of the day.

describe('cuenta audit-report', () => {
  let log: TestLog;
  const today = new Date().toISOString().slice(0, 10);
  const month = today.slice(0, 7);

  beforeAll(async () => {
    log = await createTestLog({ appends: 5, perAppend: 2 });
    const replayed = await log.cli(['replay', 'audit-log']);
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
  });

  afterAll(async () => {
    await log?.close();
  });

  it('prints the counts of the days asked for as CSV', async () => {
    const run = await log.cli(['audit-report', '--from', today, '--to', today, '--format', 'csv']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'month,agency,role,actor,type,count\r\n' +
        `${month},secretaria-de-planeacion,steward,planeacion-ana,MilestoneProgressReported,10\r\n`,
    );
  });

  it('prints JSON, of one agency', async () => {
    const ours = await log.cli([
      'audit-report',
      '--from',
      today,
      '--to',
      today,
      '--agency',
      'secretaria-de-planeacion',
      '--format',
      'json',
    ]);
    expect(ours.code).toBe(0);
    expect(JSON.parse(ours.stdout)).toMatchObject({
      from: today,
      to: today,
      agency: 'secretaria-de-planeacion',
      total: 10,
    });
    const other = await log.cli([
      'audit-report',
      '--from',
      today,
      '--to',
      today,
      '--agency',
      'secretaria-de-hacienda',
      '--format',
      'json',
    ]);
    expect(JSON.parse(other.stdout)).toMatchObject({ total: 0, groups: [] });
  });

  it('counts nothing before the log began', async () => {
    const run = await log.cli([
      'audit-report',
      '--from',
      '2020-01-01',
      '--to',
      '2020-12-31',
      '--format',
      'csv',
    ]);
    expect(run.stdout).toBe('month,agency,role,actor,type,count\r\n');
  });

  it.each([
    [['--from', '2026-01-01', '--format', 'csv'], '--to <YYYY-MM-DD> is required'],
    [
      ['--from', '2026-02-30', '--to', '2026-03-01', '--format', 'csv'],
      '--from must be a date as YYYY-MM-DD (got "2026-02-30")',
    ],
    [
      ['--from', '2026-03-02', '--to', '2026-03-01', '--format', 'csv'],
      '--to must not be before --from',
    ],
    [
      ['--from', '2026-01-01', '--to', '2026-03-01', '--format', 'xml'],
      '--format must be csv or json (got "xml")',
    ],
    [
      ['--from', '2026-01-01', '--to', '2026-03-01', '--format', 'csv', '--agency', ' '],
      '--agency must not be empty',
    ],
    [
      ['--from', '2026-01-01', '--to', '2026-03-01', '--format', 'csv', 'extra'],
      'unexpected argument "extra"',
    ],
  ])('refuses %j with exit code 2, naming the flag', async (args, message) => {
    const run = await log.cli(['audit-report', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`cuenta audit-report: ${message}`);
  });
});
