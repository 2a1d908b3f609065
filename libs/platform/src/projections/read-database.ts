import 'reflect-metadata';
import pg from 'pg';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { keepErrorListener } from '#event-store';
import { ProjectionCheckpoints1795000000000 } from './migrations/1795000000000-projection-checkpoints.js';
import { ParkedEvents1795000000200 } from './migrations/1795000000200-parked-events.js';
import { ProjectionCheckpointChanges1798000000400 } from './migrations/1798000000400-projection-checkpoint-changes.js';
import { PERSONAL_DATA_MIGRATIONS } from '../personal-data/personal-data.migrations.js';

/** The schema every read model lives in (the event store owns `events`). */
export const READ_SCHEMA = 'read';

/* eslint-disable @typescript-eslint/no-unsafe-function-type -- TypeORM's own types */
export interface ReadDatabaseOptions {
  connectionString: string;
  poolSize?: number;
  /** Entity classes of every context's read models. */
  entities: MixedList<Function | string | EntitySchema>;
  /** TypeORM migration classes of every context's read models (the platform adds its own). */
  migrations: Function[];
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** How the connections show in pg_stat_activity (default cuenta-read-models). */
  applicationName?: string;
  /** How long opening a connection may take (ms; default: no limit). */
  connectTimeoutMs?: number;
}
/* eslint-enable @typescript-eslint/no-unsafe-function-type */

// Shared with the event store's migrator ('cmig'), so that all schema changes of a database
// run one at a time, whichever process starts first.
const MIGRATION_LOCK = 0x636d6967;

/** The platform's own migrations; contexts add theirs after these. */
export const PLATFORM_READ_MIGRATIONS = [
  ProjectionCheckpoints1795000000000,
  ParkedEvents1795000000200,
  ProjectionCheckpointChanges1798000000400,
];

/**
 * The read models' TypeORM data source, connected and (by default) migrated. Migrations are
 * committed TypeORM classes recorded in `read.schema_migrations`; a process that starts
 * while another migrates waits for it.
 */
export async function openReadDatabase(options: ReadDatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.connectionString,
    schema: READ_SCHEMA,
    entities: options.entities,
    // The personal-data store's schema is migrated here too, though it is not a read model.
    migrations: [...PLATFORM_READ_MIGRATIONS, ...PERSONAL_DATA_MIGRATIONS, ...options.migrations],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'cuenta-read-models',
      onConnect: keepErrorListener,
      ...(options.connectTimeoutMs === undefined
        ? {}
        : { connectionTimeoutMillis: options.connectTimeoutMs }),
    },
  });
  if (options.migrate ?? true) await migrateReadModels(options.connectionString, dataSource);
  else await dataSource.initialize();
  return dataSource;
}

/**
 * The platform's read migrations (the tables of checkpoints, stalls and parked events) that
 * this database has not applied, by class name; all of them when it has no read schema. For
 * a process that opens the read models without migrating them and must not write a schema.
 */
export async function unappliedPlatformReadMigrations(
  dataSource: Pick<DataSource, 'query'>,
): Promise<string[]> {
  const names = PLATFORM_READ_MIGRATIONS.map((migration) => migration.name);
  const [{ table }]: { table: string | null }[] = await dataSource.query(
    `SELECT to_regclass('${READ_SCHEMA}.schema_migrations')::text AS table`,
  );
  if (table === null) return names;
  const rows: { name: string }[] = await dataSource.query(
    `SELECT name FROM ${READ_SCHEMA}.schema_migrations WHERE name = ANY($1::text[])`,
    [names],
  );
  return names.filter((name) => !rows.some((row) => row.name === name));
}

async function migrateReadModels(connectionString: string, dataSource: DataSource): Promise<void> {
  // The lock and the schema come first, on a connection of their own: TypeORM expects the
  // schema of its migrations table to exist.
  const lock = new pg.Client({ connectionString, application_name: 'cuenta-read-migrations' });
  // A connection lost mid-migration fails the statement in flight; without a listener its
  // 'error' event would end the process instead of failing the start with a message.
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${READ_SCHEMA}`);
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw new Error(`read-model migrations failed: ${(error as Error).message}`);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}
