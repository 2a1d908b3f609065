import { ForbiddenError, InvalidInputError, type EventDescriptions, type Role } from '#platform';
import type {
  AuditFilter,
  ChangeLogFilter,
  Period,
} from '../read-models/audit-log/audit-log.queries.js';

/** The roles that see actor subjects and may filter by them (docs/security.md). */
export const SUBJECT_READERS: readonly Role[] = ['internal_control', 'oversight', 'administrator'];

/** Whether a caller with these roles sees who (which subject) recorded each event. */
export function seesSubjects(roles: readonly string[]): boolean {
  return roles.some((role) => (SUBJECT_READERS as readonly string[]).includes(role));
}

/** The audit filter as a client gives it (the GraphQL input, or a report's flags). */
export interface AuditFilterRequest {
  actors?: string[] | null;
  agencies?: string[] | null;
  roles?: string[] | null;
  types?: string[] | null;
  contexts?: string[] | null;
  streamPrefix?: string | null;
  recorded?: { from?: Date | null; to?: Date | null } | null;
  occurred?: { from?: Date | null; to?: Date | null } | null;
  retroactiveOnly?: boolean | null;
  withoutReasonOnly?: boolean | null;
}

function list(field: string, values: string[] | null | undefined): string[] | undefined {
  if (values === undefined || values === null) return undefined;
  if (values.length === 0) throw new InvalidInputError(field, 'must list a value, or be left out');
  return values;
}

function periodOf(
  field: string,
  range: { from?: Date | null; to?: Date | null } | null | undefined,
): Period | undefined {
  if (!range) return undefined;
  const from = range.from ?? undefined;
  const to = range.to ?? undefined;
  if (from && to && from.getTime() >= to.getTime()) {
    throw new InvalidInputError(
      field,
      'must start before it ends (from is inclusive, to exclusive)',
    );
  }
  return { from, to };
}

/**
 * The read model's filter for a client's request.
 * @throws ForbiddenError (ROLE) when a caller who does not see subjects filters by them
 * @throws InvalidInputError naming the member: an empty list, an unknown context, a period
 *   that ends before it starts
 */
export function auditFilterOf(
  request: AuditFilterRequest | null | undefined,
  descriptions: EventDescriptions,
  callerSeesSubjects: boolean,
): AuditFilter {
  if (!request) return {};
  const actors = list('filter.actors', request.actors);
  if (actors && !callerSeesSubjects) {
    throw new ForbiddenError(
      'ROLE',
      'only the internal_control, oversight and administrator roles may filter the audit log by actor subject',
    );
  }
  const contexts = list('filter.contexts', request.contexts);
  const streamPrefixesAny = contexts?.flatMap((context) => {
    const prefixes = descriptions.prefixesOf(context);
    if (!prefixes) {
      throw new InvalidInputError(
        'filter.contexts',
        `names an unknown context "${context}" (known: ${descriptions.contexts().join(', ')})`,
      );
    }
    return prefixes;
  });
  return {
    actors,
    agencies: list('filter.agencies', request.agencies),
    roles: list('filter.roles', request.roles),
    types: list('filter.types', request.types),
    streamPrefixesAny,
    streamPrefix: request.streamPrefix ?? undefined,
    recorded: periodOf('filter.recorded', request.recorded),
    occurred: periodOf('filter.occurred', request.occurred),
    retroactiveOnly: request.retroactiveOnly ?? false,
    withoutReasonOnly: request.withoutReasonOnly ?? false,
  };
}

/** A change-log summary's filter as a client gives it. */
export interface ChangeLogFilterRequest {
  recorded: { from?: Date | null; to?: Date | null };
  actors?: string[] | null;
  agencies?: string[] | null;
  roles?: string[] | null;
  types?: string[] | null;
}

/**
 * The read model's filter for a change-log summary: the period is required, both ends.
 * @throws InvalidInputError naming the member
 */
export function changeLogFilterOf(request: ChangeLogFilterRequest): ChangeLogFilter {
  const period = periodOf('filter.recorded', request.recorded);
  if (!period?.from) throw new InvalidInputError('filter.recorded.from', 'is required');
  if (!period.to) throw new InvalidInputError('filter.recorded.to', 'is required');
  return {
    recorded: { from: period.from, to: period.to },
    actors: list('filter.actors', request.actors),
    agencies: list('filter.agencies', request.agencies),
    roles: list('filter.roles', request.roles),
    types: list('filter.types', request.types),
  };
}
