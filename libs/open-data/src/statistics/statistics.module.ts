import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { READ_DATA_SOURCE } from '#platform';
import { StatisticsResolver } from './graphql/statistics.resolver.js';
import { StatisticsQueries } from './read-models/statistics.queries.js';

/**
 * The `statistics` query: figures by territory, inclusion group, agency and status, read from
 * the commitments and participation read models, with small cells suppressed.
 */
@Module({})
export class StatisticsModule {
  static forRoot(): DynamicModule {
    return {
      module: StatisticsModule,
      providers: [
        {
          provide: StatisticsQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new StatisticsQueries(dataSource),
        },
        StatisticsResolver,
      ],
      exports: [StatisticsQueries],
    };
  }
}
