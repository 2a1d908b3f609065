import { Inject } from '@nestjs/common';
import {
  Args,
  Context,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import type DataLoader from 'dataloader';
import {
  Allow,
  historyConnectionOf,
  HistoryConnectionModel,
  historyVersionOf,
  commandRequest,
  CommandResultModel,
  commandResultModel,
  CurrentActor,
  InvalidInputError,
  jsonCursor,
  jsonCursorValue,
  pageInfoOf,
  perRequest,
  ReadPositions,
  requestLoader,
  type Actor,
  type CommandInput,
} from '#platform';
import { ActionPlanCommandHandler } from '../application/action-plan-command.handler.js';
import { ActionPlanTimeline } from '../application/action-plan-timeline.js';
import { CommitmentTimeline } from '../application/commitment-timeline.js';
import {
  commitmentRollup,
  ROLLUP_FORMULA,
  type ActionPlanCommand,
  type ActionPlanCommandType,
  type Rollup,
} from '../domain/index.js';
import {
  ActionPlanQueries,
  type ActionPlanRollup,
  type ActionPlanView,
} from '../read-models/action-plans/action-plans.queries.js';
import { CommitmentQueries } from '../read-models/commitments/commitments.queries.js';
import { actionPlanChangesOf } from './action-plan.mapper.js';
import { commitmentFromRow } from './commitment.mapper.js';
import { loadersFor } from './commitment.loaders.js';
import { listCursor, listPositionOf } from './cursors.js';
import {
  ActionPlanArgs,
  ActionPlanCommitmentsArgs,
  ActionPlansArgs,
  RegisterActionPlanInput,
  ReviseActionPlanInput,
  SetCommitmentWeightsInput,
} from './dto/action-plan.input.js';
import {
  ActionPlanConnectionModel,
  ActionPlanModel,
  RollupModel,
} from './models/action-plan.model.js';
import { CommitmentModel } from './models/commitment.model.js';
import { CommitmentConnectionModel } from './models/connection.model.js';
import { ActionPlanStatusEnum, RollupExclusionReasonEnum } from './models/enums.js';

/** The root queries of action plans: public, the same for every caller, from the log alone. */
export const ACTION_PLAN_READ_QUERIES = ['actionPlans', 'actionPlan'] as const;

/** A roll-up as the API shows it: the value with the formula and its inputs. */
export function rollupModel(rollup: Rollup): RollupModel {
  return {
    value: rollup.value ?? null,
    formula: ROLLUP_FORMULA,
    inputs: rollup.inputs,
    excluded: rollup.excluded.map((e) => ({
      id: e.id,
      reason: e.reason as RollupExclusionReasonEnum,
    })),
  };
}

export function actionPlanModel(view: ActionPlanView): ActionPlanModel {
  return {
    id: view.id,
    registered: view.registered,
    title: view.title,
    status: view.status as ActionPlanStatusEnum,
    jurisdiction: view.jurisdiction ?? null,
    periodStart: view.periodStart ?? null,
    periodEnd: view.periodEnd ?? null,
    ogpCycle: view.ogpCycle ?? null,
    registeredAt: view.registeredAt ?? null,
    commitmentWeights: Object.entries(view.commitmentWeights)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([commitmentId, weight]) => ({ commitmentId, weight })),
    version: view.version,
  };
}

interface PlanLoaders {
  plans: DataLoader<string, ActionPlanView | null>;
  rollups: DataLoader<string, ActionPlanRollup | null>;
}

const loadersOfRequest = perRequest<PlanLoaders>();

function planLoaders(context: object, queries: ActionPlanQueries): PlanLoaders {
  return loadersOfRequest(context, () => ({
    plans: requestLoader(async (ids) => {
      const found = await queries.byIds(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    rollups: requestLoader((ids) => Promise.all(ids.map((id) => queries.rollup(id)))),
  }));
}

function planPositionOf(cursor: string): string {
  const value = jsonCursorValue(cursor);
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
  throw new InvalidInputError('after', 'is not a cursor of this list');
}

/** Action plans are public: anyone may read them. */
@Allow('anonymous')
@Resolver(() => ActionPlanModel)
export class ActionPlansResolver {
  constructor(
    @Inject(ActionPlanQueries) private readonly plans: ActionPlanQueries,
    @Inject(CommitmentQueries) private readonly commitmentRows: CommitmentQueries,
    @Inject(ActionPlanTimeline) private readonly timeline: ActionPlanTimeline,
  ) {}

  @Query(() => ActionPlanConnectionModel, {
    description:
      'Action plans, registered or only named by commitments (derived, NOT_REGISTERED), by id.',
  })
  async actionPlans(@Args() args: ActionPlansArgs): Promise<ActionPlanConnectionModel> {
    const after = args.after ? planPositionOf(args.after) : undefined;
    const { plans, hasNextPage } = await this.plans.page(args.first, after);
    const edges = plans.map((plan) => ({
      cursor: jsonCursor([plan.id]),
      node: actionPlanModel(plan),
    }));
    return {
      edges,
      pageInfo: pageInfoOf(edges, { hasNextPage, hasPreviousPage: after !== undefined }),
      count: () => this.plans.count(),
    };
  }

  @Query(() => ActionPlanModel, {
    nullable: true,
    description: 'One action plan by id, registered or derived; null when none has this id.',
  })
  async actionPlan(@Args() args: ActionPlanArgs): Promise<ActionPlanModel | null> {
    const plan = await this.plans.byId(args.id);
    return plan ? actionPlanModel(plan) : null;
  }

  @ResolveField(() => CommitmentConnectionModel, {
    description: 'Its commitments, by code (Relay cursors).',
  })
  async commitments(
    @Parent() plan: ActionPlanModel,
    @Args() args: ActionPlanCommitmentsArgs,
  ): Promise<CommitmentConnectionModel> {
    const filter = { actionPlanId: plan.id };
    const after = args.after ? listPositionOf(args.after) : undefined;
    const { rows, hasNextPage } = await this.commitmentRows.page(filter, args.first, after);
    const edges = rows.map((row) => ({ cursor: listCursor(row), node: commitmentFromRow(row) }));
    return {
      edges,
      pageInfo: pageInfoOf(edges, { hasNextPage, hasPreviousPage: after !== undefined }),
      count: () => this.commitmentRows.count(filter),
    };
  }

  @ResolveField(() => HistoryConnectionModel, {
    description:
      'Every change of the plan itself, newest first, with who made it, when, why and the ' +
      'fields it changed (commitment weights by commitment id); empty while not registered.',
  })
  async history(
    @Parent() plan: ActionPlanModel,
    @Args() args: ActionPlanCommitmentsArgs,
  ): Promise<HistoryConnectionModel> {
    const before = args.after ? historyVersionOf(args.after) : undefined;
    const page = await this.timeline.historyPage({
      actionPlanId: plan.id,
      first: args.first,
      before,
      version: plan.version,
    });
    return historyConnectionOf(page, before, (entry) =>
      actionPlanChangesOf(entry.before, entry.after),
    );
  }

  @ResolveField(() => RollupModel, {
    description:
      "Its progress: the weighted mean of its commitments' progress values (each from its " +
      'milestones), leaving out drafts, withdrawn commitments and commitments with no value.',
  })
  async progress(@Parent() plan: ActionPlanModel, @Context() context: object) {
    const rollup = await planLoaders(context, this.plans).rollups.load(plan.id);
    return rollupModel(rollup?.progress ?? { inputs: [], excluded: [] });
  }
}

@Resolver(() => ActionPlanConnectionModel)
export class ActionPlanConnectionResolver {
  @ResolveField(() => Int, { description: 'How many action plans there are.' })
  totalCount(@Parent() connection: ActionPlanConnectionModel): Promise<number> {
    return connection.count();
  }
}

/** A commitment's plan and its own roll-up. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentPlanResolver {
  constructor(
    @Inject(ActionPlanQueries) private readonly plans: ActionPlanQueries,
    @Inject(CommitmentQueries) private readonly queries: CommitmentQueries,
    @Inject(CommitmentTimeline) private readonly timeline: CommitmentTimeline,
  ) {}

  @ResolveField(() => ActionPlanModel, {
    description: 'The plan it belongs to (derived from actionPlanId while not registered).',
  })
  async actionPlan(
    @Parent() commitment: CommitmentModel,
    @Context() context: object,
  ): Promise<ActionPlanModel> {
    const plan = await planLoaders(context, this.plans).plans.load(commitment.actionPlanId);
    return actionPlanModel(
      plan ?? {
        id: commitment.actionPlanId,
        registered: false,
        title: commitment.actionPlanId,
        status: 'not_registered',
        commitmentWeights: {},
        version: 0,
      },
    );
  }

  @ResolveField(() => RollupModel, {
    description:
      'Its progress: the weighted mean of its milestones that are not cancelled (each ' +
      "milestone's progress, 100 once completed), with the inputs and weights.",
  })
  async progress(@Parent() commitment: CommitmentModel, @Context() context: object) {
    const milestones =
      commitment.folded?.milestones ??
      (await loadersFor(context, this.queries, this.timeline).milestones(commitment));
    return rollupModel(commitmentRollup(milestones));
  }
}

/** Action plans are written by administrators only: a plan spans its commitments' agencies. */
@Allow('administrator')
@Resolver()
export class ActionPlanCommandsResolver {
  constructor(
    @Inject(ActionPlanCommandHandler) private readonly handler: ActionPlanCommandHandler,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
  ) {}

  private async run(
    actor: Actor,
    type: ActionPlanCommandType,
    input: CommandInput,
  ): Promise<CommandResultModel> {
    const result = await this.handler.handle(commandRequest<ActionPlanCommand>(actor, type, input));
    return commandResultModel(result, await this.reads.settle(result.positions));
  }

  @Mutation(() => CommandResultModel, {
    description: 'Registers an action plan (DRAFT unless a status is given).',
  })
  registerActionPlan(
    @CurrentActor() actor: Actor,
    @Args('input') input: RegisterActionPlanInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'RegisterActionPlan', input);
  }

  @Mutation(() => CommandResultModel, {
    description: "Changes an action plan's fields or moves its status forward, with a reason.",
  })
  reviseActionPlan(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReviseActionPlanInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'ReviseActionPlan', input);
  }

  @Mutation(() => CommandResultModel, {
    description: "Sets commitments' weights in the plan's progress roll-up, with a reason.",
  })
  setCommitmentWeights(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetCommitmentWeightsInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'SetCommitmentWeights', input);
  }
}
