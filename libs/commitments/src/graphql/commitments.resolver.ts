import { Inject } from '@nestjs/common';
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Allow,
  HistoryConnectionModel,
  InvalidInputError,
  reachRequestedPosition,
  pageInfoOf,
  ReadPositions,
  type CuentaContext,
} from '#platform';
import {
  CommitmentTimeline,
  historyOf,
  pageOfHistory,
} from '../application/commitment-timeline.js';
import { CommitmentQueries } from '../read-models/commitments/commitments.queries.js';
import {
  commitmentFromRow,
  commitmentFromState,
  historyConnectionFrom,
} from './commitment.mapper.js';
import { loadersFor } from './commitment.loaders.js';
import { historyVersionOf, listCursor, listPositionOf } from './cursors.js';
import { CommitmentArgs, CommitmentsArgs, HistoryArgs } from './dto/commitments.args.js';
import {
  BudgetLineModel,
  CommitmentModel,
  EvidenceModel,
  MilestoneModel,
} from './models/commitment.model.js';
import { CommitmentConnectionModel } from './models/connection.model.js';
import { CommitmentViewModel, ViewSourceEnum } from './models/history.model.js';

/**
 * The root queries of this resolver: open to anyone, the same for every caller, and computed
 * from the log and the read models alone, so their answers may be served from the read
 * cache (see readCachePlugin) for as long as neither has moved.
 */
export const PUBLIC_READ_QUERIES = ['commitment', 'commitments'] as const;

/** Commitments are public: anyone may read them. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentsResolver {
  constructor(
    @Inject(CommitmentQueries) private readonly queries: CommitmentQueries,
    @Inject(CommitmentTimeline) private readonly timeline: CommitmentTimeline,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
  ) {}

  @Query(() => CommitmentConnectionModel, {
    description: 'Commitments, ordered by code, filtered and paged (Relay cursors).',
  })
  async commitments(
    @Args() args: CommitmentsArgs,
    @Context() context: CuentaContext,
  ): Promise<CommitmentConnectionModel> {
    await reachRequestedPosition(this.reads, args.minPosition, context);
    const filter = args.filter ?? {};
    const after =
      args.after === undefined || args.after === null ? undefined : listPositionOf(args.after);
    const { rows, hasNextPage } = await this.queries.page(filter, args.first, after);
    const edges = rows.map((row) => ({ cursor: listCursor(row), node: commitmentFromRow(row) }));
    return {
      edges,
      pageInfo: pageInfoOf(edges, { hasNextPage, hasPreviousPage: after !== undefined }),
      count: () => this.queries.count(filter),
    };
  }

  @Query(() => CommitmentModel, {
    nullable: true,
    description:
      'One commitment by id or by code; null when there is none. With asOf, knownAt or ' +
      'atVersion it is folded from its events as it was then (see view).',
  })
  async commitment(
    @Args() args: CommitmentArgs,
    @Context() context: CuentaContext,
  ): Promise<CommitmentModel | null> {
    const id = args.id ?? undefined;
    const code = args.code ?? undefined;
    if (id === undefined && code === undefined) {
      throw new InvalidInputError('id', 'or code is required');
    }
    await reachRequestedPosition(this.reads, args.minPosition, context);
    const travel = {
      asOf: args.asOf ?? undefined,
      knownAt: args.knownAt ?? undefined,
      atVersion: args.atVersion ?? undefined,
    };
    if (
      travel.asOf === undefined &&
      travel.knownAt === undefined &&
      travel.atVersion === undefined
    ) {
      const row =
        id !== undefined ? await this.queries.byId(id) : await this.queries.byCode(String(code));
      return row ? commitmentFromRow(row) : null;
    }
    // A time travel folds the stream: the read model is needed only to find an id by code.
    const commitmentId = id ?? (await this.queries.byCode(String(code)))?.id;
    if (commitmentId === undefined) return null;
    const snapshot = await this.timeline.snapshot(commitmentId, travel);
    if (snapshot.state.status === 'empty') return null;
    return commitmentFromState(snapshot.state, snapshot.version, {
      source: 'log',
      version: snapshot.version,
      latestVersion: snapshot.latestVersion,
      asOf: travel.asOf ?? null,
      knownAt: travel.knownAt ?? null,
      atVersion: travel.atVersion ?? null,
      recordedLater: snapshot.recordedLater,
      events: snapshot.events,
    });
  }

  @ResolveField(() => CommitmentViewModel, {
    description: 'Which version is shown, and as of when.',
  })
  view(@Parent() commitment: CommitmentModel): CommitmentViewModel {
    const { events: _events, source, ...shown } = commitment.shown;
    return {
      ...shown,
      source: source === 'log' ? ViewSourceEnum.LOG : ViewSourceEnum.READ_MODEL,
    };
  }

  @ResolveField(() => HistoryConnectionModel, {
    description:
      'Every change, newest first, with who made it, when, why, and the fields it changed. ' +
      'On a time travel, the changes folded into what is shown.',
  })
  async history(
    @Parent() commitment: CommitmentModel,
    @Args() args: HistoryArgs,
  ): Promise<HistoryConnectionModel> {
    const before = args.after ? historyVersionOf(args.after) : undefined;
    const { events } = commitment.shown;
    // On a time travel, the changes folded into what is shown, diffed among themselves; else
    // the log's history up to the version the read model shows, so that one answer agrees
    // with itself even while the read model is behind the log.
    const page = events
      ? pageOfHistory(historyOf(events), args.first, before)
      : await this.timeline.historyPage({
          commitmentId: commitment.id,
          first: args.first,
          before,
          version: commitment.version,
        });
    return historyConnectionFrom(page, before);
  }

  @ResolveField(() => [MilestoneModel], { description: 'In the order they were added.' })
  milestones(@Parent() commitment: CommitmentModel, @Context() context: object) {
    return (
      commitment.folded?.milestones ??
      loadersFor(context, this.queries, this.timeline).milestones(commitment)
    );
  }

  @ResolveField(() => [BudgetLineModel])
  budget(@Parent() commitment: CommitmentModel, @Context() context: object) {
    return (
      commitment.folded?.budget ??
      loadersFor(context, this.queries, this.timeline).budget(commitment)
    );
  }

  @ResolveField(() => [EvidenceModel], {
    description: "Every milestone's evidence, by milestone, oldest first.",
  })
  evidence(@Parent() commitment: CommitmentModel, @Context() context: object) {
    if (commitment.folded) {
      return commitment.folded.milestones.flatMap((m) => m.evidenceList ?? []);
    }
    return loadersFor(context, this.queries, this.timeline).evidence(commitment);
  }
}

@Resolver(() => MilestoneModel)
export class MilestoneResolver {
  constructor(
    @Inject(CommitmentQueries) private readonly queries: CommitmentQueries,
    @Inject(CommitmentTimeline) private readonly timeline: CommitmentTimeline,
  ) {}

  @ResolveField(() => [EvidenceModel], { description: 'Oldest first.' })
  async evidence(@Parent() milestone: MilestoneModel, @Context() context: object) {
    if (milestone.evidenceList) return milestone.evidenceList;
    const all = await loadersFor(context, this.queries, this.timeline).evidence({
      id: milestone.commitmentId,
      version: milestone.commitmentVersion ?? 0,
    });
    return all.filter((e) => e.milestoneId === milestone.id);
  }
}

@Resolver(() => CommitmentConnectionModel)
export class CommitmentConnectionResolver {
  @ResolveField(() => Int, { description: 'How many commitments match the filter.' })
  totalCount(@Parent() connection: CommitmentConnectionModel): Promise<number> {
    return connection.count();
  }
}
