import type { RecordedEvent } from '#event-store';
import type { EntityManager } from 'typeorm';
import { CuentaError } from '../errors/cuenta-error.js';

/** Append-only (its migration's triggers refuse UPDATE, DELETE and TRUNCATE). */
export const PARKED_EVENTS = 'read.parked_events';

/**
 * An event an operator set aside because a projection cannot apply it: the projection skips
 * its position from then on, on every run and every rebuild, so its read model does not
 * reflect that event.
 */
export interface ParkedEvent {
  projection: string;
  position: number;
  eventId: string;
  stream: string;
  type: string;
  /** What the projection failed with when the event was parked. */
  error: string;
  reason: string;
  parkedAt: Date;
  /** Who parked it, when the tool that did knows (the command line's system user). */
  parkedBy: string | null;
}

export interface ParkRequest {
  projection: string;
  /** The global position of the event, which must be the one the projection is stalled at. */
  position: number;
  /** Why it is parked, for whoever audits the read model later; not empty. */
  reason: string;
  parkedBy?: string | null;
}

/** No projection of that name is fed here. */
export class UnknownProjectionError extends CuentaError {
  readonly code = 'UNKNOWN_PROJECTION';
  constructor(
    readonly projection: string,
    readonly known: readonly string[],
  ) {
    super(`no projection named "${projection}" (known: ${known.join(', ')})`);
    this.name = 'UnknownProjectionError';
  }
}

/**
 * A projection cannot apply the event at `position`: it stops there (its checkpoint) and
 * retries, until the cause is fixed or the event is parked.
 */
export class ProjectionStalledError extends CuentaError {
  readonly code = 'PROJECTION_STALLED';
  readonly position: number;
  constructor(
    readonly projection: string,
    event: Pick<RecordedEvent, 'position' | 'stream' | 'type'>,
    /** The projection's own error. */
    readonly reason: string,
  ) {
    super(
      `${projection} cannot apply the event at position ${event.position} ` +
        `(${event.type} in ${event.stream}): ${reason}`,
    );
    this.name = 'ProjectionStalledError';
    this.position = event.position;
  }
}

/**
 * Parking was asked for a position the projection is not stalled at: only the event a
 * projection is stalled at can be parked, and only while it is.
 */
export class NotStalledAtError extends CuentaError {
  readonly code = 'NOT_STALLED_AT';
  constructor(
    readonly projection: string,
    readonly position: number,
    /** Where it is stalled, or null when it is not. */
    readonly stalledAt: number | null,
    readonly checkpoint: number,
  ) {
    super(
      stalledAt === null
        ? `${projection} is not stalled (its checkpoint is ${checkpoint}); only the event a ` +
            'projection is stalled at can be parked'
        : `${projection} is stalled at position ${stalledAt}, not ${position}; only the event ` +
            'a projection is stalled at can be parked',
    );
    this.name = 'NotStalledAtError';
  }
  override details() {
    return { projection: this.projection, position: this.position, stalledAt: this.stalledAt };
  }
}

interface ParkedRow {
  projection: string;
  position: string;
  event_id: string;
  stream: string;
  type: string;
  error: string;
  reason: string;
  parked_at: Date;
  parked_by: string | null;
}

function fromRow(row: ParkedRow): ParkedEvent {
  return {
    projection: row.projection,
    position: Number(row.position),
    eventId: row.event_id,
    stream: row.stream,
    type: row.type,
    error: row.error,
    reason: row.reason,
    parkedAt: row.parked_at,
    parkedBy: row.parked_by,
  };
}

/** Records `event` as parked for `projection`, inside `manager`'s transaction. */
export async function insertParkedEvent(
  manager: EntityManager,
  record: {
    projection: string;
    event: RecordedEvent;
    error: string;
    reason: string;
    parkedBy: string | null;
  },
): Promise<ParkedEvent> {
  const rows: ParkedRow[] = await manager.query(
    `INSERT INTO ${PARKED_EVENTS}
       (projection, position, event_id, stream, type, error, reason, parked_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     RETURNING *`,
    [
      record.projection,
      record.event.position,
      record.event.id,
      record.event.stream,
      record.event.type,
      record.error,
      record.reason,
      record.parkedBy,
    ],
  );
  return fromRow(rows[0]);
}

/** The events parked for these projections, by projection, lowest position first. */
export async function parkedEventsOf(
  manager: Pick<EntityManager, 'query'>,
  projections: readonly string[],
): Promise<ParkedEvent[]> {
  const rows: ParkedRow[] = await manager.query(
    `SELECT * FROM ${PARKED_EVENTS} WHERE projection = ANY($1::text[]) ORDER BY projection, position`,
    [projections],
  );
  return rows.map(fromRow);
}
