import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CONTEXTS } from '#contexts';
import { runMigrations } from '#event-store';
import { contextReadSchema, openReadDatabase } from '#platform';

/** Every database of a jest run starts with this, so teardown can find them all. */
export function runDatabasePrefix(): string {
  const run = process.env.CUENTA_TEST_RUN;
  if (!run) throw new Error('CUENTA_TEST_RUN is unset: run tests through jest (npm test)');
  return `cuenta_t${run}_`;
}

export function databaseUrl(database: string): string {
  const admin = process.env.CUENTA_TEST_ADMIN_URL;
  if (!admin) throw new Error('CUENTA_TEST_ADMIN_URL is unset: run tests through jest (npm test)');
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.CUENTA_TEST_ADMIN_URL });
  await client.connect();
  return client;
}

/** The schema every test database starts from: all migrations of every context. */
export async function migrateTemplate(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await runMigrations(pool);
  } finally {
    await pool.end();
  }
  const read = await openReadDatabase({ connectionString: url, ...READ_MODELS });
  await read.destroy();
}

/** Every context's read models (#contexts), as the API serves them. */
export const READ_MODELS = contextReadSchema(CONTEXTS);

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database cloned from the run's migrated template: one per test file (or test).
 * With `migrated: false`, an empty one instead, as a server that never ran on it finds it.
 */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const name = `${runDatabasePrefix()}${randomBytes(5).toString('hex')}`;
  const template = (options.migrated ?? true) ? `${runDatabasePrefix()}template` : 'template0';
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    drop: async () => {
      const client = await adminClient();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
