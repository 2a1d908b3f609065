import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { RedFlagQueries, thresholdsFromEnv } from '#oversight';
import { READ_DATA_SOURCE } from '#platform';
import { LEDGER_SERVICE, type PostgresLedger } from '#transparency';
import { FeedEntryQueries } from './feed-entries.queries.js';
import { FeedsController } from './feeds.controller.js';
import { FeedsService } from './feeds.service.js';
import {
  ActionPlanFeedResolver,
  CommitmentFeedResolver,
  LeadAgencyFeedResolver,
  RedFlagRulesFeedResolver,
} from './graphql/feed-url.resolver.js';

/**
 * Atom feeds per commitment, agency and action plan, and of red flags, over HTTP, and their `feedUrl` fields in
 * GraphQL. Needs the LedgerModule (the log's origin names the feeds).
 */
@Module({})
export class FeedsModule {
  static forRoot(): DynamicModule {
    return {
      module: FeedsModule,
      controllers: [FeedsController],
      providers: [
        {
          provide: FeedEntryQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new FeedEntryQueries(dataSource),
        },
        {
          provide: FeedsService,
          inject: [FeedEntryQueries, LEDGER_SERVICE, READ_DATA_SOURCE],
          useFactory: (queries: FeedEntryQueries, ledger: PostgresLedger, dataSource: DataSource) =>
            new FeedsService(queries, ledger.origin, {
              queries: new RedFlagQueries(dataSource),
              thresholds: thresholdsFromEnv(process.env),
            }),
        },
        CommitmentFeedResolver,
        LeadAgencyFeedResolver,
        ActionPlanFeedResolver,
        RedFlagRulesFeedResolver,
      ],
    };
  }
}
