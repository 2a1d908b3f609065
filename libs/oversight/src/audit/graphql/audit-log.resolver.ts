import { Inject } from '@nestjs/common';
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { EVENT_STORE, type EventStore } from '#event-store';
import {
  Allow,
  CurrentActor,
  EventDescriptions,
  InvalidInputError,
  jsonCursor,
  jsonCursorValue,
  pageInfoOf,
  reachRequestedPosition,
  ReadPositions,
  type Actor,
  type CuentaContext,
} from '#platform';
import {
  inclusionProofModelOf,
  InclusionProofModel,
  LEDGER_SERVICE,
  type PostgresLedger,
} from '#transparency';
import { PageChanges } from '../application/audit-changes.js';
import { auditFilterOf, changeLogFilterOf, seesSubjects } from '../application/audit-filter.js';
import { AuditLogQueries, type AuditPosition } from '../read-models/audit-log/audit-log.queries.js';
import { AuditLogArgs, ChangeLogSummaryArgs } from './dto/audit-log.args.js';
import { auditEntryOf, changeLogGroupOf } from './audit.mapper.js';
import {
  AuditEntryModel,
  AuditLogConnectionModel,
  ChangeLogSummaryModel,
} from './models/audit-entry.model.js';

const auditCursor = (at: AuditPosition): string => jsonCursor({ r: at.recordedAt, a: at.position });

/** @throws InvalidInputError on `after` for anything `auditCursor` does not make. */
function auditPositionOf(cursor: string): AuditPosition {
  const value = jsonCursorValue(cursor) as { r?: unknown; a?: unknown } | undefined;
  const position = value?.a;
  const recordedAt = value?.r;
  if (
    typeof position === 'number' &&
    Number.isSafeInteger(position) &&
    position >= 0 &&
    typeof recordedAt === 'string' &&
    !Number.isNaN(Date.parse(recordedAt))
  ) {
    return { recordedAt, position };
  }
  throw new InvalidInputError('after', 'is not a cursor of the audit log');
}

/**
 * The audit log across every context, and change-log summaries. The log is public, so anyone
 * may page through it; only internal control, oversight and administrators see (and filter
 * by) actor subjects, and only they read change-log summaries (docs/security.md).
 */
@Resolver(() => AuditEntryModel)
export class AuditLogResolver {
  constructor(
    @Inject(AuditLogQueries) private readonly queries: AuditLogQueries,
    @Inject(EventDescriptions) private readonly descriptions: EventDescriptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_SERVICE) private readonly ledger: PostgresLedger,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
  ) {}

  @Allow('anonymous')
  @Query(() => AuditLogConnectionModel, {
    description:
      'Every event of every context, newest first, filtered: who changed what, when and why. ' +
      'Actor subjects are null unless the caller has the internal_control, oversight or ' +
      'administrator role.',
  })
  async auditLog(
    @Args() args: AuditLogArgs,
    @CurrentActor() actor: Actor,
    @Context() context: CuentaContext,
  ): Promise<AuditLogConnectionModel> {
    const showSubject = seesSubjects(actor.roles);
    const filter = auditFilterOf(args.filter, this.descriptions, showSubject);
    const after =
      args.after === undefined || args.after === null ? undefined : auditPositionOf(args.after);
    await reachRequestedPosition(this.reads, args.minPosition, context);
    const { rows, hasNextPage } = await this.queries.page(filter, args.first, after);
    const changes = new PageChanges(
      this.store,
      this.descriptions,
      rows.map((row) => row.event),
    );
    const edges = rows.map((row) => ({
      cursor: auditCursor({
        recordedAt: row.event.metadata.recordedAt,
        position: row.event.position,
      }),
      node: auditEntryOf(row, { descriptions: this.descriptions, showSubject, changes }),
    }));
    return {
      edges,
      pageInfo: pageInfoOf(edges, { hasNextPage, hasPreviousPage: after !== undefined }),
    };
  }

  @Allow('internal_control', 'oversight', 'administrator')
  @Query(() => ChangeLogSummaryModel, {
    description:
      'How many events were recorded in a period, grouped by actor, agency, role, event ' +
      'type and month (UTC).',
  })
  async changeLogSummary(
    @Args() args: ChangeLogSummaryArgs,
    @Context() context: CuentaContext,
  ): Promise<ChangeLogSummaryModel> {
    const filter = changeLogFilterOf(args.filter);
    await reachRequestedPosition(this.reads, args.minPosition, context);
    const groups = await this.queries.changeLogSummary(filter, args.groupBy);
    return {
      from: filter.recorded.from,
      to: filter.recorded.to,
      groupBy: args.groupBy,
      total: groups.reduce((sum, group) => sum + group.count, 0),
      groups: groups.map(changeLogGroupOf),
    };
  }

  @ResolveField(() => InclusionProofModel, {
    description:
      'Proof that this event is in the log, against treeSize or by default the smallest ' +
      'signed checkpoint that covers it.',
  })
  inclusionProof(
    @Parent() entry: AuditEntryModel,
    @Args('treeSize', { type: () => Int, nullable: true }) treeSize?: number | null,
  ): Promise<InclusionProofModel> {
    if (treeSize !== undefined && treeSize !== null && treeSize < 1) {
      throw new InvalidInputError('treeSize', 'must be 1 or more');
    }
    return inclusionProofModelOf(this.ledger, {
      position: entry.position,
      treeSize: treeSize ?? undefined,
    });
  }
}
