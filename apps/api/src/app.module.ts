import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import {
  COMMITMENT_UPCASTERS,
  CommitmentsModule,
  commitmentsReadModel,
  demoSetting,
  PUBLIC_READ_QUERIES,
} from '#commitments';
import {
  EVENT_STORE,
  EventStoreModule,
  LedgerModule,
  LOG_SIZE_SQL,
  Upcasters,
  type LedgerModuleOptions,
} from '#event-store';
import {
  AuthModule,
  DateTimeScalar,
  GraphQLHardeningModule,
  hardenedApolloOptions,
  ProjectionsModule,
  READ_DATA_SOURCE,
  readCachePlugin,
  readVersion,
  RequestGate,
  type Config,
} from '#platform';
import type { DataSource } from 'typeorm';
import { formatGraphQLError } from './graphql/format-error.js';
import { HealthModule } from './health/health.module.js';
import { LogTilesModule } from './log/log-tiles.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MetricsService } from './metrics/metrics.service.js';

export interface AppOptions {
  config: Config;
  /** The database actually used: DATABASE_URL, or the embedded server's URL. */
  databaseUrl: string;
  /** Where to write the generated schema; in memory when absent. */
  schemaFile?: string;
  /** The transparency log: origin, signer key, checkpoint policy, witnesses. */
  ledger: LedgerModuleOptions;
  /** More modules to serve (the e2e suites add test-only resolvers this way). */
  modules?: Array<Type | DynamicModule>;
}

const GRAPHQL_PATH = '/graphql';

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    const demo = demoSetting(process.env);
    return {
      module: AppModule,
      imports: [
        EventStoreModule.forRoot({
          connectionString: options.databaseUrl,
          poolSize: options.config.poolSize,
          unavailableAfterMs: options.config.subscriptionOutageSeconds * 1000,
          // Old event shapes, read as each context's domain now expects them.
          upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
        }),
        // Access (docs/security.md): tokens, roles, the guard on every operation, limits.
        AuthModule.forRoot(options.config),
        GraphQLHardeningModule.forRoot({
          config: options.config,
          formatError: formatGraphQLError,
          path: GRAPHQL_PATH,
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [RequestGate, READ_DATA_SOURCE, MetricsService],
          // graphql-ws is served by GraphQLHardeningModule (same checks as HTTP), so the
          // driver's own `subscriptions` stay off.
          useFactory: (gate: RequestGate, readModels: DataSource, metrics: MetricsService) => {
            const hardened = hardenedApolloOptions(gate);
            const readCache = readCachePlugin({
              maxBytes: options.config.readCacheBytes,
              fields: PUBLIC_READ_QUERIES,
              version: () => readVersion(readModels, LOG_SIZE_SQL),
            });
            return {
              path: GRAPHQL_PATH,
              autoSchemaFile: options.schemaFile ?? true,
              sortSchema: true,
              // Instants that do not exist (30 February, 24:00) are refused, not rolled over.
              buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
              ...hardened,
              plugins: [...hardened.plugins, readCache, metrics.graphqlPlugin],
              formatError: formatGraphQLError,
              includeStacktraceInErrorResponses: false,
            };
          },
        }),
        MetricsModule.forRoot(options.config.metrics),
        HealthModule.forRoot({ maxLag: options.config.readyMaxLag }),
        LedgerModule.forRoot(options.ledger),
        LogTilesModule,
        // Read models: migrated at start with the event store, fed by the projection runner.
        ProjectionsModule.forRoot({
          connectionString: options.databaseUrl,
          poolSize: options.config.poolSize,
          eventStore: EVENT_STORE,
          readModels: [commitmentsReadModel],
          logSizeSql: LOG_SIZE_SQL,
          readWaitMs: options.config.readWaitMs,
        }),
        // The Cartagena demo in an empty log: on the embedded database unless CUENTA_DEMO says.
        CommitmentsModule.forRoot({
          loadDemo: demo === 'on' || (demo === 'auto' && options.config.databaseUrl === undefined),
        }),
        ...(options.modules ?? []),
      ],
    };
  }
}
