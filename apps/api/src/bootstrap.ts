import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  bodyErrorHandler,
  type Config,
  CuentaLogger,
  inputValidationPipe,
  loadLedgerConfig,
  loadOrCreateLogKey,
  readScopeMiddleware,
  requestIdMiddleware,
  ResolverErrorsFilter,
} from '#platform';
import { AppModule, type AppOptions } from './app.module.js';
import { formatGraphQLError } from './graphql/format-error.js';

export async function createApp(
  config: Config,
  databaseUrl: string,
  schemaFile?: string,
  modules?: AppOptions['modules'],
  contexts?: AppOptions['contexts'],
): Promise<INestApplication> {
  // Every line from here on, Nest's included, in the configured format and level.
  const logger = new CuentaLogger(config);
  Logger.overrideLogger(logger);
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
      contexts,
      ledger: { ...ledger, signerKey },
    }),
    {
      logger,
      abortOnError: false,
    },
  );
  // Rate limits key anonymous callers by IP: trust X-Forwarded-For only from known proxies.
  app.set('trust proxy', config.trustProxy > 0 ? config.trustProxy : false);
  const limit = config.graphql.maxBodyBytes;
  // Each request's id first, so even a refused body is answered with it.
  app.use(requestIdMiddleware);
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.use(bodyErrorHandler(limit, formatGraphQLError));
  // What a request may read from: a replica only once it shows it runs only queries.
  app.use(readScopeMiddleware);
  app.useGlobalPipes(inputValidationPipe());
  app.useGlobalFilters(new ResolverErrorsFilter(app.getHttpAdapter()));
  return app;
}
