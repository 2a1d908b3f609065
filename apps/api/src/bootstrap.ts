import 'reflect-metadata';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  bodyErrorHandler,
  startEmbeddedPostgres,
  type Config,
  type RunningPostgres,
} from '#platform';
import { AppModule, type AppOptions } from './app.module.js';
import { formatGraphQLError } from './graphql/format-error.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface DatabaseHandle {
  url: string;
  /** Where the data lives, for people: a folder or a server. */
  description: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL in the data folder. */
export async function openDatabase(
  config: Config,
  logger = new Logger('Database'),
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return {
      url: config.databaseUrl,
      description: `PostgreSQL at ${url.host}${url.pathname}`,
      stop: async () => undefined,
    };
  }
  const server: RunningPostgres = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPostgresPort,
    log: (line) => logger.debug(line),
  });
  const url = new URL(server.url);
  url.pathname = '/postgres';
  return {
    url: url.toString(),
    description: `embedded PostgreSQL, data in ${config.dataDir}/postgres${server.owned ? '' : ' (already running)'}`,
    stop: () => server.stop(),
  };
}

export async function createApp(
  config: Config,
  databaseUrl: string,
  schemaFile?: string,
  modules?: AppOptions['modules'],
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      config,
      databaseUrl,
      schemaFile,
      modules,
    }),
    {
      logger: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
      abortOnError: false,
    },
  );
  // Rate limits key anonymous callers by IP: trust X-Forwarded-For only from known proxies.
  app.set('trust proxy', config.trustProxy > 0 ? config.trustProxy : false);
  const limit = config.graphql.maxBodyBytes;
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.use(bodyErrorHandler(limit, formatGraphQLError));
  return app;
}
