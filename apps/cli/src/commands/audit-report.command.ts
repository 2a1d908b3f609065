import { CONTEXTS } from '#contexts';
import {
  auditReport,
  auditSettings,
  AuditLogQueries,
  formatAuditReport,
  REPORT_FORMATS,
  reportPeriod,
  type ReportFormat,
} from '#oversight';
import { contextUpcasters, InvalidInputError } from '#platform';
import { parseFlags, positionals, requireFlag, runCommand, UsageError } from '../support/cli.js';
import { openReadSide } from '../support/read-side.js';

const USAGE = `usage: cuenta audit-report --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--agency <id>] --format csv|json

Counts the events recorded from --from to --to (both days included, UTC), grouped by month,
agency, role, actor and event type: the change-log summary internal control and oversight
bodies read (docs/oversight/audit-log.md). Printed on standard output.

  --from <date>    first day counted
  --to <date>      last day counted
  --agency <id>    only changes recorded by that agency's staff
  --format <f>     csv (a header row, then one row per group) or json

Uses DATABASE_URL, or the embedded PostgreSQL in CUENTA_DATA_DIR, as the server does, and
reads the audit log read model as the server last projected it; writes nothing.
Exit codes: 0 printed, 1 failed, 2 bad arguments.
`;

/** `cuenta audit-report`: the change-log summary of a period, as CSV or JSON. */
export function auditReportCommand(argv: string[]): Promise<number> {
  return runCommand('audit-report', USAGE, argv, async () => {
    const { values, positionals: rest } = parseFlags(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      agency: { type: 'string' },
      format: { type: 'string' },
    });
    positionals(rest, []);
    const from = requireFlag(values.from, '--from', 'YYYY-MM-DD');
    const to = requireFlag(values.to, '--to', 'YYYY-MM-DD');
    const format = requireFlag(values.format, '--format', 'csv|json');
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be csv or json (got "${format}")`);
    }
    if (values.agency !== undefined && values.agency.trim() === '') {
      throw new UsageError('--agency must not be empty');
    }
    // Bad dates are refused before any database is opened.
    asUsage(() => reportPeriod(from, to));
    const { dataSource, close } = await openReadSide({ migrate: false });
    try {
      const queries = new AuditLogQueries(
        dataSource,
        contextUpcasters(CONTEXTS),
        auditSettings(process.env).retroactiveDays,
      );
      const report = await auditReport(queries, { from, to, agency: values.agency });
      process.stdout.write(formatAuditReport(report, format as ReportFormat));
    } finally {
      await close();
    }
  });
}

/** Runs `check`, turning an input error (a flag it names) into a usage error. */
function asUsage(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof InvalidInputError) throw new UsageError(error.message);
    throw error;
  }
}
