import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { READ_DATA_SOURCE } from '#platform';
import { RedFlagJustificationHandler } from './application/red-flag-justification.handler.js';
import type { Thresholds } from './domain/index.js';
import { CommitmentRedFlagsResolver } from './graphql/commitment-red-flags.resolver.js';
import { RedFlagCommandsResolver } from './graphql/red-flag-commands.resolver.js';
import { RedFlagsResolver } from './graphql/red-flags.resolver.js';
import { RedFlagQueries } from './read-models/red-flag-files/red-flag-files.queries.js';
import { RED_FLAG_THRESHOLDS, thresholdsFromEnv } from './red-flags.config.js';

/**
 * Red flags: the rules in force, the flags judged from the read model, and justifications.
 * Needs EventStoreModule and ProjectionsModule (with `redFlagFilesReadModel`). The thresholds
 * come from CUENTA_RED_FLAG_THRESHOLDS, checked at start.
 */
@Module({})
export class RedFlagsModule {
  static forRoot(): DynamicModule {
    return {
      module: RedFlagsModule,
      providers: [
        { provide: RED_FLAG_THRESHOLDS, useFactory: () => thresholdsFromEnv(process.env) },
        {
          provide: RedFlagQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new RedFlagQueries(dataSource),
        },
        {
          provide: RedFlagJustificationHandler,
          inject: [EVENT_STORE, RedFlagQueries, RED_FLAG_THRESHOLDS],
          useFactory: (store: EventStore, queries: RedFlagQueries, thresholds: Thresholds) =>
            new RedFlagJustificationHandler(store, queries, thresholds),
        },
        RedFlagsResolver,
        CommitmentRedFlagsResolver,
        RedFlagCommandsResolver,
      ],
      exports: [RedFlagQueries],
    };
  }
}
