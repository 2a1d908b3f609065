// What the audit log records about each event of the log, worked out from the event alone and
// from its stream's earlier events. Pure: times come in as ISO 8601 text.

const DAY_SECONDS = 86_400;

/** An event as the audit log indexes it: the envelope's fields it reads. */
export interface AuditedEvent {
  position: number;
  stream: string;
  type: string;
  metadata: {
    actor: { subject: string; role: string; agency?: string } | null;
    occurredAt: string;
    recordedAt: string;
    reason?: string;
  };
}

/** The audit log's facts about one event. */
export interface AuditFacts {
  /** The event's business time is earlier than the latest business time its stream had. */
  beforePreviousChange: boolean;
  /** Whole seconds by which the business time precedes the recording time; 0 when not. */
  backdatedSeconds: number;
  hasReason: boolean;
  /** The calendar month (UTC) of its recording, as `YYYY-MM-01`. */
  month: string;
}

/**
 * The facts of `event`, given the latest business time among its stream's earlier events
 * (undefined for a stream's first event). Returns the stream's latest business time after it.
 */
export function auditFactsOf(
  event: AuditedEvent,
  previousLatest: string | undefined,
): { facts: AuditFacts; latest: string } {
  const occurred = Date.parse(event.metadata.occurredAt);
  const recorded = Date.parse(event.metadata.recordedAt);
  const previous = previousLatest === undefined ? undefined : Date.parse(previousLatest);
  const reason = event.metadata.reason;
  return {
    facts: {
      beforePreviousChange: previous !== undefined && occurred < previous,
      backdatedSeconds: Math.max(0, Math.floor((recorded - occurred) / 1000)),
      hasReason: typeof reason === 'string' && reason.trim() !== '',
      month: `${new Date(recorded).toISOString().slice(0, 7)}-01`,
    },
    latest:
      previous !== undefined && previous >= occurred
        ? (previousLatest as string)
        : event.metadata.occurredAt,
  };
}

/**
 * Whether a change is retroactive: its business time is earlier than its stream's previous
 * change, or earlier than its recording by more than `thresholdDays` days.
 * Precondition: `thresholdDays` is a whole number of at least 1 (see MIN_RETROACTIVE_DAYS).
 */
export function isRetroactive(
  facts: Pick<AuditFacts, 'beforePreviousChange' | 'backdatedSeconds'>,
  thresholdDays: number,
): boolean {
  return facts.beforePreviousChange || facts.backdatedSeconds > thresholdDays * DAY_SECONDS;
}

/**
 * The smallest threshold: a change recorded within a day of its business time is never
 * retroactive by the threshold alone (commands stamp their business time just before the
 * store records them, and clocks drift), and the read model indexes changes past one day.
 */
export const MIN_RETROACTIVE_DAYS = 1;
export const DEFAULT_RETROACTIVE_DAYS = 30;
export { DAY_SECONDS };
