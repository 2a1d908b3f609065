import type { DataSource } from 'typeorm';
import { commitmentStream } from '#commitments';
import type { FeedKind } from './feed-urls.js';

/** One change recorded in the log, as a feed shows it: nothing about who made it. */
export interface FeedEntryRow {
  eventId: string;
  position: number;
  type: string;
  /** When the log recorded it, ISO-8601. */
  recordedAt: string;
  reason: string | null;
  milestoneId: string | null;
  commitmentId: string;
  commitmentCode: string;
  commitmentTitle: string;
}

/** What a feed is about, for its title; undefined when there is no such thing. */
export interface FeedSubject {
  name: string;
  /** The streams whose events the feed shows. */
  streams: string[];
}

/** How many entries a feed holds: the newest ones. */
export const FEED_ENTRIES = 50;

const STREAM_PREFIX = commitmentStream('');

/**
 * Reads for the feeds: what a feed is about from the commitments read model, and its newest
 * events straight from the log (type, time, reason; never the actor).
 */
export class FeedEntryQueries {
  constructor(private readonly dataSource: DataSource) {}

  async subject(kind: FeedKind, key: string): Promise<FeedSubject | undefined> {
    const where = {
      commitment: 'id = $1',
      agency: 'lead_agency_id = $1',
      'action-plan': 'action_plan_id = $1',
    }[kind];
    const rows: { id: string; code: string; title: string; agency: string }[] =
      await this.dataSource.query(
        `SELECT id, code, title, lead_agency AS agency FROM read.commitments
          WHERE ${where} ORDER BY last_position DESC`,
        [key],
      );
    if (rows.length === 0) return undefined;
    const name = {
      commitment: `${rows[0].code}: ${rows[0].title}`,
      agency: rows[0].agency,
      'action-plan': key,
    }[kind];
    return { name, streams: rows.map((row) => commitmentStream(row.id)) };
  }

  /** The newest events of these streams, newest first: at most FEED_ENTRIES of each, merged. */
  async entries(streams: string[]): Promise<FeedEntryRow[]> {
    const rows: {
      event_id: string;
      position: string;
      type: string;
      recorded_at: string;
      reason: string | null;
      milestone_id: string | null;
      commitment_id: string;
      code: string | null;
      title: string | null;
    }[] = await this.dataSource.query(
      `SELECT e.event_id, e.global_position AS position, e.type,
              e.metadata ->> 'recordedAt' AS recorded_at, e.metadata ->> 'reason' AS reason,
              e.data ->> 'milestoneId' AS milestone_id,
              substr(e.stream_id, $3) AS commitment_id, c.code, c.title
         FROM unnest($1::text[]) s
         CROSS JOIN LATERAL (
           SELECT * FROM events.events WHERE stream_id = s
            ORDER BY stream_version DESC LIMIT $2
         ) e
         LEFT JOIN read.commitments c ON c.id = substr(e.stream_id, $3)
        ORDER BY e.global_position DESC LIMIT $2`,
      [streams, FEED_ENTRIES, STREAM_PREFIX.length + 1],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      position: Number(row.position),
      type: row.type,
      recordedAt: row.recorded_at,
      reason: row.reason,
      milestoneId: row.milestone_id,
      commitmentId: row.commitment_id,
      commitmentCode: row.code ?? row.commitment_id,
      commitmentTitle: row.title ?? row.commitment_id,
    }));
  }
}
