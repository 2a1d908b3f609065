import { Logger } from '@nestjs/common';
import { ConfigError, CuentaLogger, loadConfig, openDatabase, tokenHint } from '#platform';
import { createApp } from './bootstrap.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // Before Nest starts, so the embedded database's start-up follows the configured level
  // and format too.
  Logger.overrideLogger(new CuentaLogger(config));
  const logger = new Logger('Cuenta');
  const database = await openDatabase(config, (line) => new Logger('Database').debug(line));
  logger.log(
    `using ${database.description}` +
      (database.inspection ? `; to inspect it: ${database.inspection}` : ''),
  );

  let app;
  try {
    app = await createApp(config, database.url);
    await app.listen(config.port, config.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.stop();
    throw error;
  }
  logger.log(`GraphQL API ready at http://${config.host}:${config.port}/graphql (health: /health)`);
  logger.log(tokenHint(config));

  // Close the app first, then its database: the embedded server's own exit hook would
  // otherwise stop PostgreSQL while requests are still being answered.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: stopping`);
    await app.close();
    await database.stop();
    logger.log('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, (s) => void stop(s));
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`cuenta: invalid configuration: ${error.message}`);
    process.exit(2);
  }
  console.error(
    `cuenta: failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
