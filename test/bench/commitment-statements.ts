// The three statements the commitment-query benchmark's baselines serve its query from (the
// bare endpoint, bare-server.ts, and the framework alone, framework-floor-server.ts), and the
// mapping of a history row to the query's fields: one copy, so both do the same work.

/** The commitment by code: $1 the code. */
export const COMMITMENT_SQL =
  'SELECT id, code, title, status, version FROM read.commitments WHERE code = $1 LIMIT 1';

/** Its milestones, in order: $1 the commitment's id. */
export const MILESTONES_SQL = `SELECT id, title, status, progress, planned_start AS "plannedStart",
        planned_end AS "plannedEnd"
   FROM read.milestones WHERE commitment_id = $1 ORDER BY ordinal`;

/** Its newest changes: $1 the stream, $2 how many. */
export const HISTORY_SQL = `SELECT type, global_position AS position, metadata FROM events.events
  WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT $2`;

export interface HistoryRow {
  type: string;
  position: string;
  metadata: {
    occurredAt: string;
    recordedAt: string;
    reason?: string;
    actor: { subject: string; role: string; agency?: string };
  };
}

/** A history row as the query's `history.edges.node`. */
export function historyNode(row: HistoryRow) {
  const { occurredAt, recordedAt, reason, actor } = row.metadata;
  return {
    type: row.type,
    position: Number(row.position),
    occurredAt,
    recordedAt,
    reason: reason ?? null,
    actor: { subject: actor.subject, role: actor.role, agency: actor.agency ?? null },
  };
}
