import { Inject } from '@nestjs/common';
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Allow,
  historyConnectionOf,
  HistoryConnectionModel,
  historyVersionOf,
  InvalidInputError,
  jsonCursor,
  jsonCursorValue,
  reachRequestedPosition,
  pageInfoOf,
  pageOfHistory,
  ReadPositions,
  type CuentaContext,
} from '#platform';
import {
  dialogueSpaceHistoryOf,
  DialogueSpaceTimeline,
} from '../application/dialogue-space-timeline.js';
import {
  DialogueSpaceQueries,
  type DialogueSpacePosition,
} from '../read-models/dialogue-spaces/dialogue-spaces.queries.js';
import { dialogueSpaceChangesOf, dialogueSpaceFrom } from './dialogue.mapper.js';
import {
  DialogueHistoryArgs,
  DialogueSpaceArgs,
  DialogueSpacesArgs,
} from './dto/dialogue-spaces.args.js';
import { DialogueSpaceConnectionModel, DialogueSpaceModel } from './models/dialogue-space.model.js';

/** Root queries anyone may read whose answers depend only on the log (the read cache). */
export const DIALOGUE_PUBLIC_READ_QUERIES = ['dialogueSpaces', 'dialogueSpace'] as const;

function positionOf(cursor: string): DialogueSpacePosition {
  const value = jsonCursorValue(cursor);
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    !Number.isNaN(new Date(value[0]).getTime()) &&
    typeof value[1] === 'string'
  ) {
    return { startsAt: value[0], id: value[1] };
  }
  throw new InvalidInputError('after', 'is not a cursor of this list');
}

/** Dialogue spaces are public: anyone may read them. */
@Allow('anonymous')
@Resolver(() => DialogueSpaceModel)
export class DialogueSpacesResolver {
  constructor(
    @Inject(DialogueSpaceQueries) private readonly queries: DialogueSpaceQueries,
    @Inject(DialogueSpaceTimeline) private readonly timeline: DialogueSpaceTimeline,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
  ) {}

  @Query(() => DialogueSpaceConnectionModel, {
    description: 'Dialogue spaces, newest first by when they meet, filtered and paged.',
  })
  async dialogueSpaces(
    @Args() args: DialogueSpacesArgs,
    @Context() context: CuentaContext,
  ): Promise<DialogueSpaceConnectionModel> {
    await reachRequestedPosition(this.reads, args.minPosition, context);
    const filter = args.filter ?? {};
    const after =
      args.after === undefined || args.after === null ? undefined : positionOf(args.after);
    const { rows, hasNextPage } = await this.queries.page(filter, args.first, after);
    const edges = rows.map((row) => ({
      cursor: jsonCursor([row.space.startsAt, row.space.dialogueSpaceId]),
      node: dialogueSpaceFrom(row.space, row.version),
    }));
    return {
      edges,
      pageInfo: pageInfoOf(edges, { hasNextPage, hasPreviousPage: after !== undefined }),
      count: () => this.queries.count(filter),
    };
  }

  @Query(() => DialogueSpaceModel, {
    nullable: true,
    description:
      'One dialogue space; null when there is none. With asOf, knownAt or atVersion it is ' +
      'folded from its events as it was then.',
  })
  async dialogueSpace(
    @Args() args: DialogueSpaceArgs,
    @Context() context: CuentaContext,
  ): Promise<DialogueSpaceModel | null> {
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
      const row = await this.queries.byId(args.id);
      return row ? dialogueSpaceFrom(row.space, row.version) : null;
    }
    const snapshot = await this.timeline.snapshot(args.id, travel);
    if (snapshot.state.status === 'empty') return null;
    return { ...dialogueSpaceFrom(snapshot.state, snapshot.version), events: snapshot.events };
  }

  @ResolveField(() => HistoryConnectionModel, {
    description:
      'Every change, newest first, with who made it, when, why and the fields it changed ' +
      '(paths into the DialogueSpace, improvement actions by id).',
  })
  async history(
    @Parent() space: DialogueSpaceModel,
    @Args() args: DialogueHistoryArgs,
  ): Promise<HistoryConnectionModel> {
    const before = args.after ? historyVersionOf(args.after) : undefined;
    const page = space.events
      ? pageOfHistory(dialogueSpaceHistoryOf(space.events), args.first, before)
      : await this.timeline.historyPage({
          dialogueSpaceId: space.id,
          first: args.first,
          before,
          version: space.version,
        });
    return historyConnectionOf(page, before, dialogueSpaceChangesOf);
  }
}

@Resolver(() => DialogueSpaceConnectionModel)
export class DialogueSpaceConnectionResolver {
  @ResolveField(() => Int, { description: 'How many spaces match the filter.' })
  totalCount(@Parent() connection: DialogueSpaceConnectionModel): Promise<number> {
    return connection.count();
  }
}
