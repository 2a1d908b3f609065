import type { RecordedEvent, Upcasters } from '#event-store';
import type { DataSource } from 'typeorm';
import { DAY_SECONDS, isRetroactive } from '../../domain/audit-entry.js';

/** A period: from (inclusive) to (exclusive); either end may be open. */
export interface Period {
  from?: Date;
  to?: Date;
}

/** Which events an audit page shows; every given condition must hold. */
export interface AuditFilter {
  /** Actor subjects (any of them). */
  actors?: readonly string[];
  agencies?: readonly string[];
  roles?: readonly string[];
  types?: readonly string[];
  /** Streams starting with any of these (a context's stream kinds). */
  streamPrefixesAny?: readonly string[];
  /** Streams starting with this. */
  streamPrefix?: string;
  recorded?: Period;
  occurred?: Period;
  retroactiveOnly?: boolean;
  withoutReasonOnly?: boolean;
}

/**
 * Where a page starts: after the event recorded at `recordedAt` (ISO 8601) at `position`.
 * The log is read newest first by recording time, then position.
 */
export interface AuditPosition {
  recordedAt: string;
  position: number;
}

/** One row of the audit log, with its event as the domain reads it (upcast). */
export interface AuditRow {
  event: RecordedEvent;
  beforePreviousChange: boolean;
  backdatedSeconds: number;
  retroactive: boolean;
}

export const CHANGE_LOG_DIMENSIONS = ['actor', 'agency', 'role', 'type', 'month'] as const;
export type ChangeLogDimension = (typeof CHANGE_LOG_DIMENSIONS)[number];

/** Which events a change-log summary counts. `recorded` is required and closed. */
export interface ChangeLogFilter {
  recorded: { from: Date; to: Date };
  actors?: readonly string[];
  agencies?: readonly string[];
  roles?: readonly string[];
  types?: readonly string[];
}

/** One group's count; a dimension not grouped by is absent. `null`: no actor (system events). */
export interface ChangeLogGroup {
  actor?: string | null;
  agency?: string | null;
  role?: string | null;
  type?: string;
  /** `YYYY-MM` (UTC). */
  month?: string;
  count: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** SQL conditions and their parameters, numbered from `$1` upwards as they are added. */
class Conditions {
  readonly where: string[] = [];
  readonly params: unknown[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(sql: string): void {
    this.where.push(sql);
  }

  sql(): string {
    return this.where.length === 0 ? 'TRUE' : this.where.join(' AND ');
  }
}

function period(conditions: Conditions, column: string, range: Period | undefined): void {
  if (range?.from) conditions.add(`${column} >= ${conditions.param(range.from)}`);
  if (range?.to) conditions.add(`${column} < ${conditions.param(range.to)}`);
}

function anyOf(
  conditions: Conditions,
  column: string,
  values: readonly string[] | undefined,
  type = 'text',
): void {
  if (values && values.length > 0) {
    conditions.add(`${column} = ANY(${conditions.param(values)}::${type}[])`);
  }
}

/** Reads of the audit log read model: filtered pages and change-log summaries. */
export class AuditLogQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly upcasters: Upcasters,
    private readonly retroactiveDays: number,
  ) {}

  /**
   * Up to `first` events matching `filter`, newest first (by recording time, then position),
   * after `after` when given; `hasNextPage` says whether more follow. One query.
   */
  async page(
    filter: AuditFilter,
    first: number,
    after?: AuditPosition,
  ): Promise<{ rows: AuditRow[]; hasNextPage: boolean }> {
    const c = new Conditions();
    anyOf(c, 'a.actor_subject', filter.actors);
    anyOf(c, 'a.actor_agency', filter.agencies);
    anyOf(c, 'a.actor_role', filter.roles);
    anyOf(c, 'a.type', filter.types);
    if (filter.streamPrefixesAny && filter.streamPrefixesAny.length > 0) {
      const patterns = filter.streamPrefixesAny.map((prefix) => `${escapeLike(prefix)}%`);
      c.add(`a.stream LIKE ANY(${c.param(patterns)}::text[])`);
    }
    if (filter.streamPrefix !== undefined) {
      c.add(`a.stream LIKE ${c.param(`${escapeLike(filter.streamPrefix)}%`)}`);
    }
    period(c, 'a.recorded_at', filter.recorded);
    period(c, 'a.occurred_at', filter.occurred);
    if (filter.retroactiveOnly) {
      // The first condition is the partial index's; the second applies the threshold.
      c.add('(a.before_previous OR a.backdated_seconds > 86400)');
      c.add(
        `(a.before_previous OR a.backdated_seconds > ${c.param(this.retroactiveDays * DAY_SECONDS)})`,
      );
    }
    if (filter.withoutReasonOnly) c.add('a.reason IS NULL');
    if (after !== undefined) {
      c.add(
        `(a.recorded_at, a.position) < (${c.param(after.recordedAt)}::timestamptz, ${c.param(after.position)}::bigint)`,
      );
    }
    const limit = c.param(first + 1);
    const rows = (await this.dataSource.query(
      `SELECT a.position, a.before_previous, a.backdated_seconds, e.event_id, e.stream_id,
              e.stream_version, e.type, e.schema_version, e.data, e.metadata
         FROM read.audit_log a
         JOIN events.events e ON e.global_position = a.position
        WHERE ${c.sql()}
        ORDER BY a.recorded_at DESC, a.position DESC
        LIMIT ${limit}`,
      c.params,
    )) as {
      position: string;
      before_previous: boolean;
      backdated_seconds: string;
      event_id: string;
      stream_id: string;
      stream_version: number;
      type: string;
      schema_version: number;
      data: RecordedEvent['data'];
      metadata: RecordedEvent['metadata'];
    }[];
    return {
      rows: rows.slice(0, first).map((row) => {
        const facts = {
          beforePreviousChange: row.before_previous,
          backdatedSeconds: Number(row.backdated_seconds),
        };
        return {
          event: this.upcasters.apply({
            id: row.event_id,
            stream: row.stream_id,
            streamVersion: row.stream_version,
            position: Number(row.position),
            type: row.type,
            schemaVersion: row.schema_version,
            data: row.data,
            metadata: row.metadata,
          }),
          ...facts,
          retroactive: isRetroactive(facts, this.retroactiveDays),
        };
      }),
      hasNextPage: rows.length > first,
    };
  }

  /**
   * Counts of the events recorded in `filter.recorded`, grouped by `groupBy` (none: one
   * total). Whole months inside the period are read from the monthly counts; the days at
   * either end, from the log's rows, so the period need not start or end on a month.
   */
  async changeLogSummary(
    filter: ChangeLogFilter,
    groupBy: readonly ChangeLogDimension[],
  ): Promise<ChangeLogGroup[]> {
    const { from, to } = filter.recorded;
    const firstWhole = monthStart(from, from.getTime() === monthStart(from, 0).getTime() ? 0 : 1);
    const endWhole = monthStart(to, 0);
    const c = new Conditions();
    const fromP = c.param(from);
    const toP = c.param(to);
    const wholeFrom = c.param(firstWhole);
    const wholeTo = c.param(endWhole);
    const counted = new Conditions();
    counted.params.push(...c.params);
    anyOf(counted, 'actor', filter.actors);
    anyOf(counted, 'agency', filter.agencies);
    anyOf(counted, 'role', filter.roles);
    anyOf(counted, 'type', filter.types);
    const dimensions = CHANGE_LOG_DIMENSIONS.filter((d) => groupBy.includes(d));
    const select = dimensions.map((d) =>
      d === 'month' ? "to_char(month, 'YYYY-MM') AS month" : d,
    );
    const groups = dimensions.map((d) => (d === 'month' ? 'month' : d));
    const rows = (await this.dataSource.query(
      `WITH parts AS (
         SELECT month, agency, role, actor, type, count FROM read.audit_counts
          WHERE month >= ${wholeFrom}::date AND month < ${wholeTo}::date
         UNION ALL
         SELECT date_trunc('month', recorded_at AT TIME ZONE 'UTC')::date,
                coalesce(actor_agency, ''), coalesce(actor_role, ''),
                coalesce(actor_subject, ''), type, 1
           FROM read.audit_log
          WHERE recorded_at >= ${fromP} AND recorded_at < ${toP}
            AND NOT (recorded_at >= ${wholeFrom} AND recorded_at < ${wholeTo})
       )
       SELECT ${[...select, 'sum(count)::bigint AS count'].join(', ')}
         FROM parts WHERE ${counted.sql()}
        ${groups.length > 0 ? `GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}` : ''}`,
      counted.params,
    )) as Record<string, string | null>[];
    return rows
      .map((row) => {
        const group: ChangeLogGroup = { count: Number(row.count ?? 0) };
        for (const d of dimensions) {
          const value = row[d] as string;
          if (d === 'month' || d === 'type') group[d] = value;
          else group[d] = value === '' ? null : value;
        }
        return group;
      })
      .filter((group) => group.count > 0);
  }
}

/** The first instant (UTC) of the month of `date`, moved by `add` months. */
function monthStart(date: Date, add: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + add, 1));
}
