import 'reflect-metadata';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  bodyErrorHandler,
  type Config,
  inputValidationPipe,
  loadLedgerConfig,
  loadOrCreateLogKey,
  ResolverErrorsFilter,
} from '#platform';
import { AppModule, type AppOptions } from './app.module.js';
import { formatGraphQLError } from './graphql/format-error.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The log levels shown at a configured level: it and every more severe one. */
export function logLevels(level: Config['logLevel']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

export async function createApp(
  config: Config,
  databaseUrl: string,
  schemaFile?: string,
  modules?: AppOptions['modules'],
): Promise<INestApplication> {
  const ledger = loadLedgerConfig(process.env, config.dataDir);
  const { signerKey } = await loadOrCreateLogKey({
    file: ledger.keyFile,
    origin: ledger.origin,
    log: (line) => new Logger('Ledger').log(line),
  });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      config,
      databaseUrl,
      schemaFile,
      modules,
      ledger: { ...ledger, signerKey },
    }),
    {
      logger: logLevels(config.logLevel),
      abortOnError: false,
    },
  );
  // Rate limits key anonymous callers by IP: trust X-Forwarded-For only from known proxies.
  app.set('trust proxy', config.trustProxy > 0 ? config.trustProxy : false);
  const limit = config.graphql.maxBodyBytes;
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.use(bodyErrorHandler(limit, formatGraphQLError));
  app.useGlobalPipes(inputValidationPipe());
  app.useGlobalFilters(new ResolverErrorsFilter(app.getHttpAdapter()));
  return app;
}
