import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { EventStoreModule } from '#event-store';
import type { Config } from '#platform';
import { formatGraphQLError } from './graphql/format-error.js';
import { HealthModule } from './health/health.module.js';

export interface AppOptions {
  config: Config;
  /** The database actually used: DATABASE_URL, or the embedded server's URL. */
  databaseUrl: string;
  /** Where to write the generated schema; in memory when absent. */
  schemaFile?: string;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EventStoreModule.forRoot({
          connectionString: options.databaseUrl,
          poolSize: options.config.poolSize,
        }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: options.schemaFile ?? true,
          sortSchema: true,
          introspection: true,
          subscriptions: { 'graphql-ws': true },
          formatError: formatGraphQLError,
          includeStacktraceInErrorResponses: false,
        }),
        HealthModule,
      ],
    };
  }
}
