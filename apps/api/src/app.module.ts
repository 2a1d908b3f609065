import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { CONTEXTS } from '#contexts';
import { EVENT_STORE, EventStoreModule, LOG_SIZE_SQL } from '#event-store';
import {
  AuthModule,
  contextDemos,
  contextPersonalData,
  contextPublicReadQueries,
  contextReadModels,
  contextUpcasters,
  DateTimeScalar,
  demoSetting,
  DemosModule,
  GraphQLHardeningModule,
  hardenedApolloOptions,
  LiveEventsModule,
  loadPersonalDataConfig,
  PersonalDataGraphQLModule,
  PersonalDataModule,
  ProjectionsModule,
  READ_DATA_SOURCE,
  READ_REPLICAS,
  readCachePlugin,
  ReadPositions,
  readReplicaPlugin,
  type ReadReplicas,
  RequestGate,
  sharedReadVersion,
  type Config,
  type ContextDefinition,
} from '#platform';
import { LedgerModule, LogTilesModule, type LedgerModuleOptions } from '#transparency';
import type { DataSource } from 'typeorm';
import { GraphQLExplorerModule } from './graphql-explorer/explorer.module.js';
import { offlineExplorerPlugin } from './graphql-explorer/explorer-page.js';
import { formatGraphQLError } from './graphql/format-error.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MetricsService } from './metrics/metrics.service.js';
import { VerifyPageModule } from './verify-page/verify-page.module.js';

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
  /** The contexts to serve; `CONTEXTS` unless a test adds a test-only one. */
  contexts?: readonly ContextDefinition[];
}

const GRAPHQL_PATH = '/graphql';

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    const demo = demoSetting(process.env);
    const contexts = options.contexts ?? CONTEXTS;
    // Refuses at start two contexts declaring the same event's personal fields.
    contextPersonalData(contexts);
    return {
      module: AppModule,
      imports: [
        EventStoreModule.forRoot({
          connectionString: options.databaseUrl,
          poolSize: options.config.poolSize,
          unavailableAfterMs: options.config.subscriptionOutageSeconds * 1000,
          // Old event shapes, read as each context's domain now expects them.
          upcasters: contextUpcasters(contexts),
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
          inject: [RequestGate, READ_DATA_SOURCE, MetricsService, READ_REPLICAS, ReadPositions],
          // graphql-ws is served by GraphQLHardeningModule (same checks as HTTP), so the
          // driver's own `subscriptions` stay off.
          useFactory: (
            gate: RequestGate,
            readModels: DataSource,
            metrics: MetricsService,
            replicas: ReadReplicas,
            reads: ReadPositions,
          ) => {
            const hardened = hardenedApolloOptions(gate);
            const readCache = readCachePlugin({
              maxBytes: options.config.readCacheBytes,
              fields: contextPublicReadQueries(contexts),
              // Read once for the requests that ask at the same time on the same database.
              version: sharedReadVersion({
                dataSource: readModels,
                logSizeSql: LOG_SIZE_SQL,
                readsFrom: () => replicas.current(),
              }),
            });
            return {
              path: GRAPHQL_PATH,
              autoSchemaFile: options.schemaFile ?? true,
              sortSchema: true,
              // Instants that do not exist (30 February, 24:00) are refused, not rolled over.
              buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
              ...hardened,
              // The explorer (GraphiQL, outside production as Nest's default) from this server's
              // own files instead of Nest's, which loads it from a public CDN.
              graphiql: false,
              plugins: [
                ...hardened.plugins,
                // Before the read cache: the request's replica, or the primary, is chosen here.
                readReplicaPlugin({ replicas, reads, waitMs: options.config.replicaWaitMs }),
                readCache,
                metrics.graphqlPlugin,
                ...(process.env.NODE_ENV === 'production'
                  ? []
                  : [offlineExplorerPlugin(GRAPHQL_PATH)]),
              ],
              formatError: formatGraphQLError,
              includeStacktraceInErrorResponses: false,
            };
          },
        }),
        MetricsModule.forRoot(options.config.metrics),
        HealthModule.forRoot({ maxLag: options.config.readyMaxLag }),
        // The log's events, live (eventsAppended); any context's streams.
        LiveEventsModule,
        // Personal data beside the log (docs/privacy.md): the store the contexts' command
        // handlers seal into, and `erasePersonalData`. Always served, so the schema and the
        // access rules do not depend on which contexts declare personal fields.
        PersonalDataModule.forRoot({
          connectionString: options.databaseUrl,
          poolSize: options.config.poolSize,
          keyFile: loadPersonalDataConfig(process.env, options.config.dataDir).keyFile,
        }),
        PersonalDataGraphQLModule,
        LedgerModule.forRoot({ ...options.ledger, connectionString: options.databaseUrl }),
        LogTilesModule,
        VerifyPageModule,
        GraphQLExplorerModule,
        // Read models: migrated at start with the event store, fed by the projection runner.
        ProjectionsModule.forRoot({
          connectionString: options.databaseUrl,
          poolSize: options.config.poolSize,
          eventStore: EVENT_STORE,
          readModels: contextReadModels(contexts),
          logSizeSql: LOG_SIZE_SQL,
          readWaitMs: options.config.readWaitMs,
          // DATABASE_READ_URL: reads of read-only requests go to these streaming replicas.
          replicas: {
            urls: options.config.readReplicaUrls,
            waitMs: options.config.replicaWaitMs,
          },
        }),
        // Every context's module (#contexts): its commands, queries and GraphQL surface.
        ...contexts.map((context) => context.module({ config: options.config, contexts })),
        // The contexts' demos in an empty log: on the embedded database unless CUENTA_DEMO says.
        DemosModule.forRoot({
          demos: contextDemos(contexts),
          load: demo === 'on' || (demo === 'auto' && options.config.databaseUrl === undefined),
        }),
        ...(options.modules ?? []),
      ],
    };
  }
}
