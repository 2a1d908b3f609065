import { Inject } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Allow,
  HistoryConnectionModel,
  historyConnectionOf,
  historyVersionOf,
  InvalidInputError,
  jsonCursor,
  jsonCursorValue,
  pageInfoOf,
} from '#platform';
import { PrioritizationTimeline } from '../application/prioritization-timeline.js';
import { PrioritizationQueries } from '../read-models/prioritizations/prioritizations.queries.js';
import {
  PrioritizationArgs,
  PrioritizationHistoryArgs,
  PrioritizationsArgs,
} from './dto/prioritizations.args.js';
import {
  liveCountOf,
  prioritizationChanges,
  prioritizationFromRow,
  prioritizationFromState,
  type PrioritizationView,
} from './prioritization.mapper.js';
import {
  PrioritizationConnectionModel,
  PrioritizationModel,
  PrioritizationResultModel,
  PrioritizationStandingModel,
  PrioritizationStatusEnum,
} from './models/prioritization.model.js';

/** Root queries anyone may read whose answers depend only on the log and the read models. */
export const PRIORITIZATION_READ_QUERIES = ['prioritizations', 'prioritization'] as const;

/** Prioritizations are public: anyone may read them, their live count and their history. */
@Allow('anonymous')
@Resolver(() => PrioritizationModel)
export class PrioritizationsResolver {
  constructor(
    @Inject(PrioritizationQueries) private readonly queries: PrioritizationQueries,
    @Inject(PrioritizationTimeline) private readonly timeline: PrioritizationTimeline,
  ) {}

  @Query(() => PrioritizationConnectionModel, {
    description: 'Topic prioritization exercises, newest first.',
  })
  async prioritizations(@Args() args: PrioritizationsArgs): Promise<PrioritizationConnectionModel> {
    const after = args.after === undefined ? undefined : listPositionOf(args.after);
    const { rows, hasNextPage } = await this.queries.list(args.first, after);
    const edges = rows.map((row) => ({
      cursor: jsonCursor({ p: row.openedPosition }),
      node: prioritizationFromRow(row),
    }));
    return {
      edges,
      pageInfo: pageInfoOf(edges, { hasNextPage, hasPreviousPage: after !== undefined }),
      totalCount: this.queries.count(),
    };
  }

  @Query(() => PrioritizationModel, {
    nullable: true,
    description:
      'One exercise, read from its stream: the live count while open, the recorded result once ' +
      'closed. With asOf or knownAt, as it stood then. Null when there is none.',
  })
  async prioritization(@Args() args: PrioritizationArgs): Promise<PrioritizationModel | null> {
    const snapshot = await this.timeline.snapshot(args.id, {
      asOf: args.asOf ?? undefined,
      knownAt: args.knownAt ?? undefined,
    });
    return prioritizationFromState(snapshot.state, snapshot.events, snapshot.version);
  }

  @ResolveField(() => [PrioritizationStandingModel], {
    nullable: true,
    description:
      "While open, the Borda count of the ballots cast so far (each participant's last); null " +
      'once closed, when result holds the count recorded.',
  })
  async liveCount(
    @Parent() exercise: PrioritizationView,
  ): Promise<PrioritizationStandingModel[] | null> {
    if (exercise.status === PrioritizationStatusEnum.CLOSED) return null;
    const state = exercise.state ?? (await this.timeline.snapshot(exercise.id)).state;
    return liveCountOf(state);
  }

  @ResolveField(() => PrioritizationResultModel, { nullable: true })
  async result(@Parent() exercise: PrioritizationView): Promise<PrioritizationResultModel | null> {
    if (exercise.result !== null || exercise.status !== PrioritizationStatusEnum.CLOSED) {
      return exercise.result;
    }
    const snapshot = await this.timeline.snapshot(exercise.id);
    return (
      prioritizationFromState(snapshot.state, snapshot.events, snapshot.version)?.result ?? null
    );
  }

  @ResolveField(() => String, { description: 'The counting rule as published with the exercise.' })
  async methodRule(@Parent() exercise: PrioritizationView): Promise<string> {
    if (exercise.methodRule !== '') return exercise.methodRule;
    const { state } = await this.timeline.snapshot(exercise.id);
    return state.status === 'none' ? '' : state.exercise.methodRule;
  }

  @ResolveField(() => HistoryConnectionModel, {
    description:
      'Every event of the exercise, newest first: the opening, each ballot, the closing.',
  })
  async history(
    @Parent() exercise: PrioritizationView,
    @Args() args: PrioritizationHistoryArgs,
  ): Promise<HistoryConnectionModel> {
    const before = args.after ? historyVersionOf(args.after) : undefined;
    const page = await this.timeline.historyPage({
      prioritizationId: exercise.id,
      first: args.first,
      before,
    });
    return historyConnectionOf(page, before, prioritizationChanges);
  }
}

function listPositionOf(cursor: string): { openedPosition: number } {
  const value = jsonCursorValue(cursor) as { p?: unknown } | undefined;
  const position = value?.p;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new InvalidInputError('after', 'is not a cursor of this list');
  }
  return { openedPosition: position };
}
