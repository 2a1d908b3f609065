import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { CallerRateLimiter, PersonalDataStore, READ_DATA_SOURCE } from '#platform';
import { EvaluationCommandHandler } from './application/evaluation-command.handler.js';
import { EvaluationTimeline } from './application/evaluation-timeline.js';
import { evaluationSettings, type EvaluationSettings } from './evaluation-settings.js';
import { CommitmentEvaluationsResolver } from './graphql/commitment-evaluations.resolver.js';
import {
  EVALUATION_RATE_LIMITER,
  EvaluationCommandsResolver,
} from './graphql/evaluation-commands.resolver.js';
import { EvaluationLiveResolver } from './graphql/evaluation-live.resolver.js';
import {
  EvaluationConnectionResolver,
  EvaluationsResolver,
} from './graphql/evaluations.resolver.js';
import { EvaluationQueries } from './read-models/evaluations/evaluations.queries.js';

/**
 * Citizens' evaluations, official answers and moderation. Needs EventStoreModule and
 * ProjectionsModule (with `evaluationsReadModel`); uses the personal-data store when the
 * server has one (PersonalDataModule), and refuses personal fields when it has not.
 */
@Module({})
export class EvaluationsModule {
  static forRoot(settings: EvaluationSettings = evaluationSettings(process.env)): DynamicModule {
    return {
      module: EvaluationsModule,
      providers: [
        {
          provide: EvaluationCommandHandler,
          inject: [EVENT_STORE, { token: PersonalDataStore, optional: true }],
          useFactory: (store: EventStore, personalData?: PersonalDataStore) =>
            new EvaluationCommandHandler(store, personalData, {
              autoHideAfter: settings.autoHideAfter,
            }),
        },
        {
          provide: EvaluationTimeline,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new EvaluationTimeline(store),
        },
        {
          provide: EvaluationQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new EvaluationQueries(dataSource),
        },
        {
          provide: EVALUATION_RATE_LIMITER,
          useFactory: () =>
            new CallerRateLimiter({
              anonymous: settings.submissionsPerWindow.anonymous,
              authenticated: settings.submissionsPerWindow.authenticated,
              windowSeconds: settings.submissionsPerWindow.windowSeconds,
            }),
        },
        EvaluationCommandsResolver,
        EvaluationsResolver,
        EvaluationConnectionResolver,
        CommitmentEvaluationsResolver,
        EvaluationLiveResolver,
      ],
      exports: [EvaluationCommandHandler, EvaluationQueries, EvaluationTimeline],
    };
  }
}
