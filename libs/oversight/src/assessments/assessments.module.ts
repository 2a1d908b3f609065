import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { READ_DATA_SOURCE } from '#platform';
import { AssessmentCommandHandler } from './application/assessment-command.handler.js';
import { AssessmentTargets } from './application/assessment-targets.js';
import { AssessmentCommandsResolver } from './graphql/assessment-commands.resolver.js';
import { CommitmentAssessmentsResolver } from './graphql/commitment-assessments.resolver.js';
import { AssessmentQueries } from './read-models/assessments/assessments.queries.js';

/**
 * Independent (IRM) assessments: oversight bodies record them; `Commitment.assessments` shows
 * them. Needs EventStoreModule and ProjectionsModule (with `assessmentsReadModel`).
 */
@Module({})
export class AssessmentsModule {
  static forRoot(): DynamicModule {
    return {
      module: AssessmentsModule,
      providers: [
        {
          provide: AssessmentCommandHandler,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new AssessmentCommandHandler(store),
        },
        {
          provide: AssessmentTargets,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new AssessmentTargets(store),
        },
        {
          provide: AssessmentQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new AssessmentQueries(dataSource),
        },
        AssessmentCommandsResolver,
        CommitmentAssessmentsResolver,
      ],
      exports: [AssessmentCommandHandler, AssessmentQueries],
    };
  }
}
