import { InvalidInputError } from '#platform';
import type {
  AuditLogQueries,
  ChangeLogGroup,
} from '../read-models/audit-log/audit-log.queries.js';

/** What `cuenta audit-report` prints: the change-log counts of a period. */
export interface AuditReport {
  /** First day counted, `YYYY-MM-DD` (UTC). */
  from: string;
  /** Last day counted, `YYYY-MM-DD` (UTC), inclusive. */
  to: string;
  agency: string | null;
  total: number;
  /** By month, agency, role, actor and event type; null where an event has no actor. */
  groups: Required<ChangeLogGroup>[];
}

export const REPORT_FORMATS = ['csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayOf(flag: string, text: string): Date {
  const match = DATE.exec(text);
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
  if (!match || !date || date.toISOString().slice(0, 10) !== text) {
    throw new InvalidInputError(flag, `must be a date as YYYY-MM-DD (got "${text}")`);
  }
  return date;
}

/**
 * The days a report covers, both inclusive, as the summary's period (to exclusive).
 * @throws InvalidInputError naming the flag: not a calendar date, or --to before --from
 */
export function reportPeriod(from: string, to: string): { from: Date; to: Date } {
  const first = dayOf('--from', from);
  const last = dayOf('--to', to);
  if (last.getTime() < first.getTime()) {
    throw new InvalidInputError('--to', `must not be before --from (got ${to} < ${from})`);
  }
  return { from: first, to: new Date(last.getTime() + 86_400_000) };
}

/** The counts of the events recorded on the days `from` to `to` (inclusive), of one agency. */
export async function auditReport(
  queries: Pick<AuditLogQueries, 'changeLogSummary'>,
  request: { from: string; to: string; agency?: string },
): Promise<AuditReport> {
  const recorded = reportPeriod(request.from, request.to);
  const groups = await queries.changeLogSummary(
    { recorded, agencies: request.agency === undefined ? undefined : [request.agency] },
    ['month', 'agency', 'role', 'actor', 'type'],
  );
  return {
    from: request.from,
    to: request.to,
    agency: request.agency ?? null,
    total: groups.reduce((sum, group) => sum + group.count, 0),
    groups: groups.map((group) => ({
      month: group.month as string,
      agency: group.agency ?? null,
      role: group.role ?? null,
      actor: group.actor ?? null,
      type: group.type as string,
      count: group.count,
    })),
  };
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as text: CSV (a header row, one row per group) or JSON. */
export function formatAuditReport(report: AuditReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const header = ['month', 'agency', 'role', 'actor', 'type', 'count'] as const;
  const rows = report.groups.map((group) =>
    header.map((column) => csvField(group[column])).join(','),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}
