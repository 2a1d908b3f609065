import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { READ_DATA_SOURCE } from '#platform';
import { PrioritizationCommandHandler } from './application/prioritization-command.handler.js';
import { PrioritizationTargets } from './application/prioritization-targets.js';
import { PrioritizationTimeline } from './application/prioritization-timeline.js';
import { PrioritizationCommandsResolver } from './graphql/prioritization-commands.resolver.js';
import { PrioritizationsResolver } from './graphql/prioritizations.resolver.js';
import { PrioritizationQueries } from './read-models/prioritizations/prioritizations.queries.js';

/**
 * Topic prioritization: exercises, ranked ballots, the Borda count and its recorded result.
 * Needs EventStoreModule and ProjectionsModule (with `prioritizationsReadModel`).
 */
@Module({})
export class PrioritizationModule {
  static forRoot(): DynamicModule {
    return {
      module: PrioritizationModule,
      providers: [
        {
          provide: PrioritizationCommandHandler,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new PrioritizationCommandHandler(store),
        },
        {
          provide: PrioritizationTimeline,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new PrioritizationTimeline(store),
        },
        {
          provide: PrioritizationTargets,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new PrioritizationTargets(store),
        },
        {
          provide: PrioritizationQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new PrioritizationQueries(dataSource),
        },
        PrioritizationCommandsResolver,
        PrioritizationsResolver,
      ],
      exports: [PrioritizationCommandHandler, PrioritizationQueries, PrioritizationTimeline],
    };
  }
}
