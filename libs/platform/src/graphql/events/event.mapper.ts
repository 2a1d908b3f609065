import { canonicalize } from '#ledger';
import type { RecordedEvent } from '#event-store';
import type { EventActorModel, LogEventModel } from './event.models.js';

/** Who recorded an event, as the API shows it. */
export function eventActorFrom(actor: RecordedEvent['metadata']['actor']): EventActorModel | null {
  return actor ? { subject: actor.subject, role: actor.role, agency: actor.agency ?? null } : null;
}

/**
 * The API's view of an event. Precondition: `event` is as stored (read with `raw`), not
 * upcast, since `canonical` must be the bytes the log hashed. `canonical` is computed when a
 * query selects it, not for every event mapped: a live feed maps each event once per
 * subscriber, and most do not ask for it.
 */
export function logEventFrom(event: RecordedEvent): LogEventModel {
  const { actor, occurredAt, recordedAt, reason, commandId } = event.metadata;
  return {
    get canonical() {
      return canonicalize(event);
    },
    id: event.id,
    stream: event.stream,
    streamVersion: event.streamVersion,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    actor: eventActorFrom(actor),
    occurredAt: new Date(occurredAt),
    recordedAt: new Date(recordedAt),
    reason: reason ?? null,
    commandId: commandId ?? null,
  };
}
