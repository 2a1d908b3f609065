import type { RecordedEvent } from '#event-store';
import type { EventDescriptions } from '#platform';
import type { PageChanges } from '../application/audit-changes.js';
import type { AuditRow, ChangeLogGroup } from '../read-models/audit-log/audit-log.queries.js';
import type {
  AuditEntryModel,
  AuditStreamModel,
  ChangeLogGroupModel,
} from './models/audit-entry.model.js';

function streamOf(event: RecordedEvent, descriptions: EventDescriptions): AuditStreamModel {
  const described = descriptions.streamOf(event.stream);
  return {
    name: event.stream,
    type: described?.name ?? null,
    id: described ? event.stream.slice(described.prefix.length) : null,
    context: descriptions.contextOf(event.stream) ?? null,
  };
}

/**
 * An audit row as the API shows it. `showSubject`: whether the caller sees actor subjects;
 * for others the subject is null. What the event changed is read only when asked for.
 */
export function auditEntryOf(
  row: AuditRow,
  options: { descriptions: EventDescriptions; showSubject: boolean; changes: PageChanges },
): AuditEntryModel {
  const { event } = row;
  const { actor, occurredAt, recordedAt, reason } = event.metadata;
  const summary = options.descriptions.summarize(event);
  return {
    position: event.position,
    eventId: event.id,
    type: event.type,
    stream: streamOf(event, options.descriptions),
    streamVersion: event.streamVersion,
    actor: actor
      ? {
          subject: options.showSubject ? actor.subject : null,
          role: actor.role,
          agency: actor.agency ?? null,
        }
      : null,
    recordedAt: new Date(recordedAt),
    occurredAt: new Date(occurredAt),
    reason: reason ?? null,
    retroactive: row.retroactive,
    beforePreviousChange: row.beforePreviousChange,
    summary: { es: summary.es, en: summary.en },
    get changes() {
      return options.changes.of(event);
    },
  };
}

export function changeLogGroupOf(group: ChangeLogGroup): ChangeLogGroupModel {
  return {
    actor: group.actor ?? null,
    agency: group.agency ?? null,
    role: group.role ?? null,
    type: group.type ?? null,
    month: group.month ?? null,
    count: group.count,
  };
}
