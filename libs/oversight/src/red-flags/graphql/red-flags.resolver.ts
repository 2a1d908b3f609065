import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import {
  Allow,
  InvalidInputError,
  jsonCursor,
  jsonCursorValue,
  keepOutOfReadCache,
  pageInfoOf,
  reachRequestedPosition,
  ReadPositions,
  type CuentaContext,
} from '#platform';
import { compareFlags, type RedFlag, type RuleCode, type Thresholds } from '../domain/index.js';
import { RedFlagQueries } from '../read-models/red-flag-files/red-flag-files.queries.js';
import { RED_FLAG_THRESHOLDS } from '../red-flags.config.js';
import { RedFlagsArgs } from './dto/red-flags.args.js';
import { redFlagModel, redFlagRulesModel } from './red-flag.mapper.js';
import { RedFlagConnectionModel, RedFlagRulesModel } from './models/red-flag.model.js';

/**
 * Root queries anyone may read whose answers depend only on the log (the read cache). The
 * rules depend on the configuration alone; `redFlags` judged at a given `asOf` on the log
 * alone, and judged at now it keeps itself out of the cache (`keepOutOfReadCache`), since a
 * time-dependent flag opens with the clock while the log stands still.
 */
export const RED_FLAG_PUBLIC_READ_QUERIES = ['redFlagRules', 'redFlags'] as const;

/** The time flags are judged at: the one asked for, or now (and then the answer is not cached). */
export function judgedAt(asOf: Date | null | undefined, context: object): string {
  if (asOf instanceof Date) return asOf.toISOString();
  keepOutOfReadCache(context);
  return new Date().toISOString();
}

function afterOf(cursor: string): Pick<RedFlag, 'raisedAt' | 'id'> {
  const value = jsonCursorValue(cursor);
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    !Number.isNaN(Date.parse(value[0])) &&
    typeof value[1] === 'string'
  ) {
    return { raisedAt: value[0], id: value[1] };
  }
  throw new InvalidInputError('after', 'is not a cursor of this list');
}

/** Red flags are public: citizens see them, and can recompute them from an export. */
@Allow('anonymous')
@Resolver()
export class RedFlagsResolver {
  constructor(
    @Inject(RedFlagQueries) private readonly queries: RedFlagQueries,
    @Inject(RED_FLAG_THRESHOLDS) private readonly thresholds: Thresholds,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
  ) {}

  @Query(() => RedFlagRulesModel, {
    description: 'The red-flag rules in force, with their versions and thresholds.',
  })
  redFlagRules(): RedFlagRulesModel {
    return redFlagRulesModel(this.thresholds);
  }

  @Query(() => RedFlagConnectionModel, {
    description:
      'Red flags, newest raised first, filtered and paged: the same flags `cuenta flags` ' +
      'computes from an export of the same log at the same asOf.',
  })
  async redFlags(
    @Args() args: RedFlagsArgs,
    @Context() context: CuentaContext,
  ): Promise<RedFlagConnectionModel> {
    await reachRequestedPosition(this.reads, args.minPosition, context);
    const asOf = judgedAt(args.asOf, context);
    const filter = args.filter ?? {};
    const flags = await this.queries.flags(
      {
        rule: (filter.rule ?? undefined) as RuleCode | undefined,
        commitmentId: filter.commitmentId ?? undefined,
        agencyId: filter.agencyId ?? undefined,
        state: filter.state ?? undefined,
      },
      asOf,
      this.thresholds,
    );
    const after = args.after ? afterOf(args.after) : undefined;
    const start =
      after === undefined ? 0 : flags.findIndex((flag) => compareFlags(flag, after as RedFlag) > 0);
    const from = start === -1 ? flags.length : start;
    const page = flags.slice(from, from + args.first);
    const edges = page.map((flag) => ({
      cursor: jsonCursor([flag.raisedAt, flag.id]),
      node: redFlagModel(flag),
    }));
    return {
      edges,
      pageInfo: pageInfoOf(edges, {
        hasNextPage: from + args.first < flags.length,
        hasPreviousPage: after !== undefined,
      }),
      totalCount: flags.length,
      asOf,
    };
  }
}
