import { rm } from 'node:fs/promises';
import type { RunningPostgres } from '#platform';
import { adminClient, runDatabasePrefix } from './database.js';

/** Drops every database this run created and stops the embedded server, if one was started. */
export async function tearDownRun(): Promise<void> {
  const admin = await adminClient();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [runDatabasePrefix()],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
  const embedded = (
    globalThis as { __cuentaTestServer?: { server: RunningPostgres; dataDir: string } }
  ).__cuentaTestServer;
  if (embedded) {
    await embedded.server.stop();
    await rm(embedded.dataDir, { recursive: true, force: true });
  }
}
