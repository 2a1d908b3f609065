import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { READ_DATA_SOURCE } from '#platform';
import { ActionPlanCommandHandler } from './application/action-plan-command.handler.js';
import { ActionPlanTimeline } from './application/action-plan-timeline.js';
import { CommitmentCommandHandler } from './application/commitment-command.handler.js';
import { CommitmentTimeline } from './application/commitment-timeline.js';
import { CommitmentCommandsResolver } from './graphql/commitment-commands.resolver.js';
import {
  CommitmentConnectionResolver,
  CommitmentsResolver,
  MilestoneResolver,
} from './graphql/commitments.resolver.js';
import {
  ActionPlanCommandsResolver,
  ActionPlanConnectionResolver,
  ActionPlansResolver,
  CommitmentPlanResolver,
} from './graphql/action-plans.resolver.js';
import { CommitmentLiveResolver } from './graphql/live.resolver.js';
import { ActionPlanQueries } from './read-models/action-plans/action-plans.queries.js';
import { CommitmentQueries } from './read-models/commitments/commitments.queries.js';

/**
 * The commitments context (commitments and the action plans they belong to): command handlers, the read model's queries and the GraphQL API.
 * Needs EventStoreModule and ProjectionsModule (with `commitmentsReadModel`).
 */
@Module({})
export class CommitmentsModule {
  static forRoot(): DynamicModule {
    return {
      module: CommitmentsModule,
      providers: [
        {
          provide: CommitmentCommandHandler,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new CommitmentCommandHandler(store),
        },
        {
          provide: CommitmentTimeline,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new CommitmentTimeline(store),
        },
        {
          provide: CommitmentQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new CommitmentQueries(dataSource),
        },
        {
          provide: ActionPlanCommandHandler,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new ActionPlanCommandHandler(store),
        },
        {
          provide: ActionPlanTimeline,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new ActionPlanTimeline(store),
        },
        {
          provide: ActionPlanQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new ActionPlanQueries(dataSource),
        },
        ActionPlansResolver,
        ActionPlanConnectionResolver,
        ActionPlanCommandsResolver,
        CommitmentPlanResolver,
        CommitmentLiveResolver,
        CommitmentCommandsResolver,
        CommitmentsResolver,
        MilestoneResolver,
        CommitmentConnectionResolver,
      ],
      exports: [
        CommitmentCommandHandler,
        CommitmentQueries,
        CommitmentTimeline,
        ActionPlanCommandHandler,
        ActionPlanQueries,
      ],
    };
  }
}
