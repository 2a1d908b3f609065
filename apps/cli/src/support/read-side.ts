import { COMMITMENT_UPCASTERS, commitmentsReadModel } from '#commitments';
import { PostgresEventStore, Upcasters } from '#event-store';
import {
  loadConfig,
  openDatabase,
  openReadDatabase,
  ProjectionRunner,
  type ReadModel,
} from '#platform';
import { readConfig } from './open-log.js';

/** Every context's read models, as the API serves them (apps/api/src/app.module.ts). */
const READ_MODELS: ReadModel[] = [commitmentsReadModel];

export interface ReadSide {
  /** Runs nothing by itself: commands call it (catch up, reset, park, status). */
  runner: ProjectionRunner;
  /** Where the database is, for people. */
  description: string;
  close(): Promise<void>;
}

/**
 * The log and the read models, reached as the server reaches them (DATABASE_URL, else the
 * embedded PostgreSQL in CUENTA_DATA_DIR) and migrated as the server migrates them, with a
 * projection runner over every projection the server runs.
 */
export async function openReadSide(options: { batchSize?: number } = {}): Promise<ReadSide> {
  const config = readConfig(loadConfig);
  const database = await openDatabase(config);
  let store: PostgresEventStore | undefined;
  try {
    store = await PostgresEventStore.open({
      connectionString: database.url,
      poolSize: 4,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    const opened = store;
    const dataSource = await openReadDatabase({
      connectionString: database.url,
      poolSize: 4,
      entities: READ_MODELS.flatMap((m) => m.entities),
      migrations: READ_MODELS.flatMap((m) => m.migrations),
    });
    const runner = new ProjectionRunner(
      store,
      dataSource,
      READ_MODELS.flatMap((m) => m.projections({ store: opened, dataSource })),
      { connectionString: database.url, batchSize: options.batchSize },
    );
    return {
      runner,
      description: database.description,
      close: async () => {
        await dataSource.destroy();
        await opened.close();
        await database.stop();
      },
    };
  } catch (error) {
    await store?.close().catch(() => undefined);
    await database.stop().catch(() => undefined);
    throw error;
  }
}
