import {
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { isConnectionLoss, PostgresEventStore, type EventStore } from '#event-store';
import type { DataSource } from 'typeorm';
import {
  ReadReplica,
  ReadReplicas,
  routeDataSourceReads,
  routePoolReads,
} from '../database/read-replicas.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { openReadDatabase } from './read-database.js';
import { ReadPositions, ReplicaReadPositions } from './read-positions.js';

/** Injection token of the read models' TypeORM DataSource. */
export const READ_DATA_SOURCE = Symbol('READ_DATA_SOURCE');

/** Injection token of the ReadReplicas (none when DATABASE_READ_URL is unset). */
export const READ_REPLICAS = Symbol('READ_REPLICAS');

/** How long opening a connection to a replica may take before it counts as down (ms). */
const REPLICA_CONNECT_TIMEOUT_MS = 2000;
/** How long a replica that could not be reached is left aside before it is tried again (ms). */
const REPLICA_DOWN_FOR_MS = 5000;

/** What a context contributes to the read side: tables, their migrations, their projections. */
export interface ReadModel {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's types
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's types
  migrations: Function[];
  projections(context: { store: EventStore; dataSource: DataSource }): Projection[];
}

export interface ProjectionsModuleOptions {
  connectionString: string;
  poolSize?: number;
  /** The token the app's EventStore is provided under (EVENT_STORE). */
  eventStore: symbol;
  readModels: ReadModel[];
  /** Follow the log in this process (default true); the CLI and the schema printer do not. */
  run?: boolean;
  /** The event store's query of the log's size (LOG_SIZE_SQL), for ReadPositions. */
  logSizeSql: string;
  /** How long a read or a write waits for the read models to reach a position, in ms. */
  readWaitMs: number;
  /**
   * Streaming replicas of the database that read-only requests read from, and how long such a
   * request waits for its replica to replay a position it asks for before it reads from the
   * primary (ms). No URLs: every read goes to the primary.
   */
  replicas?: { urls: readonly string[]; waitMs: number };
}

/**
 * A read replica that is not in recovery is no streaming replica: most likely a mistaken
 * URL (the primary itself, or another database), whose answers would not be the log's.
 */
async function warnUnlessStandby(replica: ReadReplica, warn: (line: string) => void) {
  const standby = await replica.pool
    .query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')
    .then(({ rows }) => rows[0].standby)
    .catch(() => undefined);
  if (standby === false) {
    warn(
      `read replica ${replica.label} is not a standby (pg_is_in_recovery() is false): ` +
        'DATABASE_READ_URL should name streaming replicas of DATABASE_URL',
    );
  }
}

class RunnerLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(READ_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(READ_REPLICAS) private readonly replicas: ReadReplicas,
    private readonly run: boolean,
  ) {}

  onApplicationBootstrap(): void {
    if (this.run) this.runner.start();
  }

  // Before the event store closes (onApplicationShutdown), so no batch is cut off mid-read.
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.replicas.close();
    await this.dataSource.destroy();
  }
}

/**
 * The read side (global): the `read` schema's DataSource, migrated at start, the
 * projection runner that keeps every read model up to date with the log, and ReadPositions,
 * which tells how far they are and waits for them. With read replicas, the reads of
 * read-only requests through that DataSource and the event store's pool go to a replica
 * (database/read-replicas.ts); the runner and every write stay on the primary.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsModuleOptions): DynamicModule {
    const logger = new Logger('Projections');
    return {
      module: ProjectionsModule,
      global: true,
      providers: [
        {
          provide: READ_REPLICAS,
          inject: [options.eventStore],
          useFactory: async (store: EventStore) => {
            const replicas = new ReadReplicas(
              (options.replicas?.urls ?? []).map(
                (url) =>
                  new ReadReplica({
                    url,
                    poolSize: options.poolSize ?? 10,
                    connectTimeoutMs: REPLICA_CONNECT_TIMEOUT_MS,
                    openDataSource: (replicaUrl) =>
                      openReadDatabase({
                        connectionString: replicaUrl,
                        poolSize: options.poolSize,
                        entities: options.readModels.flatMap((m) => m.entities),
                        migrations: [],
                        migrate: false,
                        applicationName: 'cuenta-read-replica',
                        connectTimeoutMs: REPLICA_CONNECT_TIMEOUT_MS,
                      }),
                  }),
              ),
              {
                downForMs: REPLICA_DOWN_FOR_MS,
                isConnectionLoss,
                log: (line) => logger.warn(line),
              },
            );
            if (replicas.replicas.length === 0) return replicas;
            // The log's reads and the proofs go through the event store's pool.
            if (store instanceof PostgresEventStore) routePoolReads(store.pool, replicas);
            // A replica that is down at start is used once it can be reached.
            await replicas.open();
            for (const replica of replicas.replicas) {
              const up = replica.usable(Date.now()) !== undefined;
              logger.log(
                `read replica ${replica.label}: ${up ? 'connected' : 'not reachable yet'}`,
              );
              if (up) await warnUnlessStandby(replica, (line) => logger.warn(line));
            }
            return replicas;
          },
        },
        {
          provide: READ_DATA_SOURCE,
          inject: [READ_REPLICAS],
          useFactory: async (replicas: ReadReplicas) => {
            const dataSource = await openReadDatabase({
              connectionString: options.connectionString,
              poolSize: options.poolSize,
              entities: options.readModels.flatMap((m) => m.entities),
              migrations: options.readModels.flatMap((m) => m.migrations),
            });
            if (replicas.replicas.length > 0) routeDataSourceReads(dataSource, replicas);
            return dataSource;
          },
        },
        {
          provide: ProjectionRunner,
          inject: [options.eventStore, READ_DATA_SOURCE],
          useFactory: (store: EventStore, dataSource: DataSource) =>
            new ProjectionRunner(
              store,
              dataSource,
              options.readModels.flatMap((m) => m.projections({ store, dataSource })),
              { connectionString: options.connectionString, log: (line) => logger.log(line) },
            ),
        },
        {
          provide: ReadPositions,
          inject: [options.eventStore, READ_DATA_SOURCE, ProjectionRunner, READ_REPLICAS],
          useFactory: (
            store: EventStore,
            dataSource: DataSource,
            runner: ProjectionRunner,
            replicas: ReadReplicas,
          ) => {
            const positions = {
              logSizeSql: options.logSizeSql,
              waitMs: options.readWaitMs,
              commits: runner,
            };
            return replicas.replicas.length === 0
              ? new ReadPositions(store, dataSource, runner.projections, positions)
              : new ReplicaReadPositions(store, dataSource, runner.projections, {
                  ...positions,
                  replicas,
                  replicaWaitMs: options.replicas?.waitMs ?? 0,
                });
          },
        },
        {
          provide: RunnerLifecycle,
          inject: [ProjectionRunner, READ_DATA_SOURCE, READ_REPLICAS],
          useFactory: (runner: ProjectionRunner, dataSource: DataSource, replicas: ReadReplicas) =>
            new RunnerLifecycle(runner, dataSource, replicas, options.run ?? true),
        },
      ],
      exports: [READ_DATA_SOURCE, READ_REPLICAS, ProjectionRunner, ReadPositions],
    };
  }
}
