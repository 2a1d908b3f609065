import type { RecordedEvent } from '#event-store';
import type { Projection } from '#platform';
import type { EntityManager } from 'typeorm';
import { auditFactsOf } from '../../domain/audit-entry.js';

export const AUDIT_LOG_PROJECTION = 'audit-log';

/**
 * The audit log: a row for every event of every context, whatever its stream, with the facts
 * its filters need (who, when, why, backdated); each stream's latest business time; and the
 * counts change-log summaries add up. A batch is three statements whatever its size.
 */
export class AuditLogProjection implements Projection {
  readonly name = AUDIT_LOG_PROJECTION;

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const streams = [...new Set(events.map((event) => event.stream))];
    const stored = (await manager.query(
      `SELECT stream, to_char(latest_occurred_at AT TIME ZONE 'UTC',
                'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS latest
         FROM read.audit_streams WHERE stream = ANY($1::text[])`,
      [streams],
    )) as { stream: string; latest: string }[];
    const latest = new Map(stored.map((row) => [row.stream, row.latest]));
    const columns = {
      position: [] as number[],
      eventId: [] as string[],
      type: [] as string[],
      stream: [] as string[],
      version: [] as number[],
      subject: [] as (string | null)[],
      role: [] as (string | null)[],
      agency: [] as (string | null)[],
      recordedAt: [] as string[],
      occurredAt: [] as string[],
      reason: [] as (string | null)[],
      beforePrevious: [] as boolean[],
      backdated: [] as number[],
    };
    const counts = new Map<string, number>();
    for (const event of events) {
      const { facts, latest: after } = auditFactsOf(event, latest.get(event.stream));
      latest.set(event.stream, after);
      const { actor, recordedAt, occurredAt } = event.metadata;
      columns.position.push(event.position);
      columns.eventId.push(event.id);
      columns.type.push(event.type);
      columns.stream.push(event.stream);
      columns.version.push(event.streamVersion);
      columns.subject.push(actor?.subject ?? null);
      columns.role.push(actor?.role ?? null);
      columns.agency.push(actor?.agency ?? null);
      columns.recordedAt.push(recordedAt);
      columns.occurredAt.push(occurredAt);
      columns.reason.push(facts.hasReason ? (event.metadata.reason as string) : null);
      columns.beforePrevious.push(facts.beforePreviousChange);
      columns.backdated.push(facts.backdatedSeconds);
      const key = JSON.stringify([
        facts.month,
        actor?.agency ?? '',
        actor?.role ?? '',
        actor?.subject ?? '',
        event.type,
      ]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    await manager.query(
      `INSERT INTO read.audit_log (position, event_id, type, stream, stream_version,
         actor_subject, actor_role, actor_agency, recorded_at, occurred_at, reason,
         before_previous, backdated_seconds)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::int[],
         $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::text[],
         $12::boolean[], $13::bigint[])`,
      [
        columns.position,
        columns.eventId,
        columns.type,
        columns.stream,
        columns.version,
        columns.subject,
        columns.role,
        columns.agency,
        columns.recordedAt,
        columns.occurredAt,
        columns.reason,
        columns.beforePrevious,
        columns.backdated,
      ],
    );
    await manager.query(
      `INSERT INTO read.audit_streams (stream, latest_occurred_at)
       SELECT * FROM unnest($1::text[], $2::timestamptz[])
       ON CONFLICT (stream) DO UPDATE SET latest_occurred_at = EXCLUDED.latest_occurred_at`,
      [streams, streams.map((stream) => latest.get(stream) as string)],
    );
    const keys = [...counts.keys()].map((key) => JSON.parse(key) as string[]);
    await manager.query(
      `INSERT INTO read.audit_counts (month, agency, role, actor, type, count)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[],
         $6::bigint[])
       ON CONFLICT (month, agency, role, actor, type)
       DO UPDATE SET count = read.audit_counts.count + EXCLUDED.count`,
      [
        keys.map((key) => key[0]),
        keys.map((key) => key[1]),
        keys.map((key) => key[2]),
        keys.map((key) => key[3]),
        keys.map((key) => key[4]),
        [...counts.values()],
      ],
    );
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE read.audit_log, read.audit_streams, read.audit_counts');
  }
}
