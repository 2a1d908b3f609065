import { Inject } from '@nestjs/common';
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, InvalidInputError } from '#platform';
import {
  CommitmentQueries,
  type ListPosition,
} from '../read-models/commitments/commitments.queries.js';
import { commitmentFromRow } from './commitment.mapper.js';
import { loadersFor } from './commitment.loaders.js';
import { CommitmentArgs, CommitmentsArgs } from './dto/commitments.args.js';
import {
  BudgetLineModel,
  CommitmentModel,
  EvidenceModel,
  MilestoneModel,
} from './models/commitment.model.js';
import { CommitmentConnectionModel } from './models/connection.model.js';

const cursorOf = (position: ListPosition): string =>
  Buffer.from(JSON.stringify([position.code, position.id])).toString('base64url');

function positionOf(cursor: string): ListPosition {
  try {
    const [code, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof code === 'string' && typeof id === 'string') return { code, id };
  } catch {
    // reported below
  }
  throw new InvalidInputError('after', 'is not a cursor of this list');
}

/** Commitments are public: anyone may read them. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentsResolver {
  constructor(@Inject(CommitmentQueries) private readonly queries: CommitmentQueries) {}

  @Query(() => CommitmentConnectionModel, {
    description: 'Commitments, ordered by code, filtered and paged (Relay cursors).',
  })
  async commitments(@Args() args: CommitmentsArgs): Promise<CommitmentConnectionModel> {
    const filter = args.filter ?? {};
    const after =
      args.after === undefined || args.after === null ? undefined : positionOf(args.after);
    const { rows, hasNextPage } = await this.queries.page(filter, args.first, after);
    const edges = rows.map((row) => ({ cursor: cursorOf(row), node: commitmentFromRow(row) }));
    return {
      edges,
      pageInfo: {
        hasNextPage,
        hasPreviousPage: after !== undefined,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      count: () => this.queries.count(filter),
    };
  }

  @Query(() => CommitmentModel, {
    nullable: true,
    description: 'One commitment by id or by code; null when there is none.',
  })
  async commitment(@Args() args: CommitmentArgs): Promise<CommitmentModel | null> {
    if ((args.id ?? undefined) === undefined && (args.code ?? undefined) === undefined) {
      throw new InvalidInputError('id', 'or code is required');
    }
    const row = args.id
      ? await this.queries.byId(args.id)
      : await this.queries.byCode(String(args.code));
    return row ? commitmentFromRow(row) : null;
  }

  @ResolveField(() => [MilestoneModel], { description: 'In the order they were added.' })
  milestones(@Parent() commitment: CommitmentModel, @Context() context: object) {
    return (
      commitment.folded?.milestones ??
      loadersFor(context, this.queries).milestones.load(commitment.id)
    );
  }

  @ResolveField(() => [BudgetLineModel])
  budget(@Parent() commitment: CommitmentModel, @Context() context: object) {
    return (
      commitment.folded?.budget ?? loadersFor(context, this.queries).budget.load(commitment.id)
    );
  }

  @ResolveField(() => [EvidenceModel], {
    description: "Every milestone's evidence, by milestone, oldest first.",
  })
  evidence(@Parent() commitment: CommitmentModel, @Context() context: object) {
    if (commitment.folded) {
      return commitment.folded.milestones.flatMap((m) => m.evidenceList ?? []);
    }
    return loadersFor(context, this.queries).evidence.load(commitment.id);
  }
}

@Resolver(() => MilestoneModel)
export class MilestoneResolver {
  constructor(@Inject(CommitmentQueries) private readonly queries: CommitmentQueries) {}

  @ResolveField(() => [EvidenceModel], { description: 'Oldest first.' })
  async evidence(@Parent() milestone: MilestoneModel, @Context() context: object) {
    if (milestone.evidenceList) return milestone.evidenceList;
    const all = await loadersFor(context, this.queries).evidence.load(milestone.commitmentId);
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
