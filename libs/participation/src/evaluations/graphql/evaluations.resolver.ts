import { Inject, Optional } from '@nestjs/common';
import {
  Args,
  ArgsType,
  Context,
  Field,
  ID,
  Int,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { IsDate, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import {
  Allow,
  CurrentActor,
  historyConnectionOf,
  HistoryConnectionModel,
  historyVersionOf,
  keepOutOfReadCache,
  pageInfoOf,
  PersonalDataStore,
  PersonalValueModel,
  type Actor,
} from '#platform';
import { EvaluationTimeline } from '../application/evaluation-timeline.js';
import {
  EvaluationQueries,
  type EvaluationFilter,
} from '../read-models/evaluations/evaluations.queries.js';
import { evaluationCursor, evaluationPositionOf } from './evaluation-cursors.js';
import { evaluationPersonalValue } from './evaluation-personal-values.js';
import { evaluationChanges, evaluationFromRow, evaluationFromState } from './evaluation.mapper.js';
import { EvaluationsArgs } from './dto/evaluation.inputs.js';
import {
  EvaluationConnectionModel,
  EvaluationModel,
  EvaluationRatingsSummaryModel,
} from './models/evaluation.model.js';
import { personalPlaceholdersOf } from './evaluation-events.js';

/**
 * Root queries anyone may read whose answers depend only on the log (the read cache): none.
 * An evaluation's answer state turns overdue with the calendar, not with the log, and its
 * comment is a personal value the cache must never hold.
 */
export const EVALUATION_PUBLIC_READ_QUERIES = [] as const;

@ArgsType()
export class EvaluationArgs {
  @Field(() => ID) @IsString() id: string;
  @Field(() => Date, { nullable: true, description: 'As it was at this business time.' })
  @IsOptional()
  @IsDate()
  asOf?: Date;
  @Field(() => Date, { nullable: true, description: 'As the record stood at this time.' })
  @IsOptional()
  @IsDate()
  knownAt?: Date;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) atVersion?: number;
}

@ArgsType()
export class EvaluationHistoryArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(100, { message: 'must be 100 or less' })
  first: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() after?: string;
}

/** The page of evaluations `filter` selects, newest first, as a Relay connection. */
export async function evaluationConnection(
  queries: EvaluationQueries,
  filter: EvaluationFilter,
  first: number,
  after: string | null | undefined,
): Promise<EvaluationConnectionModel> {
  const before = after === undefined || after === null ? undefined : evaluationPositionOf(after);
  const rows = await queries.page(filter, first + 1, before);
  const edges = rows.slice(0, first).map((row) => ({
    cursor: evaluationCursor(Number(row.submitted_position)),
    node: evaluationFromRow(row),
  }));
  return {
    edges,
    pageInfo: pageInfoOf(edges, {
      hasNextPage: rows.length > first,
      hasPreviousPage: before !== undefined,
    }),
    count: () => queries.count(filter),
    summary: () => queries.ratings(filter),
  };
}

/** Evaluations are public; their personal values are shown as docs/security.md says. */
@Allow('anonymous')
@Resolver(() => EvaluationModel)
export class EvaluationsResolver {
  constructor(
    @Inject(EvaluationQueries) private readonly queries: EvaluationQueries,
    @Inject(EvaluationTimeline) private readonly timeline: EvaluationTimeline,
    @Optional() @Inject(PersonalDataStore) private readonly personalData?: PersonalDataStore,
  ) {}

  @Query(() => EvaluationConnectionModel, {
    description: 'Evaluations, newest first, filtered and paged (Relay cursors).',
  })
  evaluations(@Args() args: EvaluationsArgs): Promise<EvaluationConnectionModel> {
    return evaluationConnection(this.queries, args.filter ?? {}, args.first, args.after);
  }

  @Query(() => EvaluationModel, {
    nullable: true,
    description:
      'One evaluation; null when there is none. With asOf, knownAt or atVersion it is folded ' +
      'from its events as it was then.',
  })
  async evaluation(@Args() args: EvaluationArgs): Promise<EvaluationModel | null> {
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
      const row = await this.queries.byId(args.id);
      return row ? evaluationFromRow(row) : null;
    }
    const snapshot = await this.timeline.snapshot(args.id, travel);
    if (snapshot.state.status === 'none') return null;
    return evaluationFromState(
      snapshot.state,
      snapshot.version,
      personalPlaceholdersOf(snapshot.events),
      travel.asOf ?? new Date(),
    );
  }

  @ResolveField(() => PersonalValueModel, {
    nullable: true,
    description:
      "The citizen's comment: public while visible; while hidden, only moderators and " +
      'administrators (who review it) see it. Says whether it was erased, and when. Null ' +
      'when none.',
  })
  comment(
    @CurrentActor() actor: Actor,
    @Parent() evaluation: EvaluationModel,
    @Context() context: object,
  ): Promise<PersonalValueModel> | null {
    return this.personalValue(evaluation, 'comment', actor, context);
  }

  @ResolveField(() => PersonalValueModel, {
    nullable: true,
    description:
      "Contact details: the value only for administrators and the answering agency's " +
      'stewards. Says whether it was erased, and when. Null when none.',
  })
  contact(
    @CurrentActor() actor: Actor,
    @Parent() evaluation: EvaluationModel,
    @Context() context: object,
  ): Promise<PersonalValueModel> | null {
    return this.personalValue(evaluation, 'contact', actor, context);
  }

  @ResolveField(() => PersonalValueModel, {
    nullable: true,
    description:
      'Self-declared inclusion groups (sensitive; the value a list of strings): the value ' +
      "only for administrators and the answering agency's stewards. Says whether it was " +
      'erased, and when. Null when none.',
  })
  groups(
    @CurrentActor() actor: Actor,
    @Parent() evaluation: EvaluationModel,
    @Context() context: object,
  ): Promise<PersonalValueModel> | null {
    return this.personalValue(evaluation, 'groups', actor, context);
  }

  /** A personal value, kept out of the read cache whenever one is shown. */
  private personalValue(
    evaluation: EvaluationModel,
    field: keyof EvaluationModel['personal'],
    actor: Actor,
    context: object,
  ): Promise<PersonalValueModel> | null {
    const shown = evaluationPersonalValue(evaluation, field, {
      context,
      actor,
      store: this.personalData,
    });
    if (shown !== null) keepOutOfReadCache(context);
    return shown;
  }

  @ResolveField(() => HistoryConnectionModel, {
    description: 'Every submission, answer, report, hide and restore, newest first.',
  })
  async history(
    @Parent() evaluation: EvaluationModel,
    @Args() args: EvaluationHistoryArgs,
  ): Promise<HistoryConnectionModel> {
    const before = args.after ? historyVersionOf(args.after) : undefined;
    const page = await this.timeline.historyPage({
      streamId: evaluation.id,
      first: args.first,
      before,
      version: evaluation.version,
    });
    return historyConnectionOf(page, before, evaluationChanges);
  }
}

@Resolver(() => EvaluationConnectionModel)
export class EvaluationConnectionResolver {
  @ResolveField(() => Int, { description: 'How many evaluations match the filter.' })
  totalCount(@Parent() connection: EvaluationConnectionModel): Promise<number> {
    return connection.count();
  }

  @ResolveField(() => EvaluationRatingsSummaryModel, {
    description: 'Average ratings of the matching evaluations; hidden ones are left out.',
  })
  ratings(@Parent() connection: EvaluationConnectionModel) {
    return connection.summary();
  }
}
