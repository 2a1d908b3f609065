import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '#platform';
import { adminClient, databaseUrl, migrateTemplate, runDatabasePrefix } from './database.js';

/**
 * Once per jest run: find PostgreSQL (DATABASE_URL, or an embedded server in a temporary
 * folder when it is unset) and build a migrated template that every test file clones.
 * Workers inherit what is put in process.env here.
 */
export async function setUpRun(): Promise<void> {
  process.env.CUENTA_TEST_RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-test-'));
    const server = await startEmbeddedPostgres({
      dataDir,
      settings: {
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: '300',
      },
    });
    (globalThis as { __cuentaTestServer?: unknown }).__cuentaTestServer = { server, dataDir };
    adminUrl = server.url;
    console.log(`\n[test] embedded PostgreSQL in ${dataDir}`);
  } else {
    console.log(`\n[test] PostgreSQL from DATABASE_URL (${new URL(adminUrl).host})`);
  }
  process.env.CUENTA_TEST_ADMIN_URL = adminUrl;
  const template = `${runDatabasePrefix()}template`;
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  await migrateTemplate(databaseUrl(template));
}
