import { Logger } from '@nestjs/common';
import { loadConfig } from '#platform';
import { openDatabase } from '#platform';
import { createApp } from '../../apps/api/src/bootstrap.js';
import { AccessProbeModule } from './access-probe.module.js';

// The API as main.ts starts it, plus the test-only AccessProbeModule. Only the e2e suites
// run it (startServer(env, timeout, PROBE_SERVER)); it is never part of the product.

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  const app = await createApp(config, database.url, undefined, [AccessProbeModule]);
  await app.listen(config.port, config.host);
  new Logger('Probe').log(`probe API ready on ${config.port}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app
        .close()
        .then(() => database.stop())
        .then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(`probe server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
