import {
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventStore } from '#event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { openReadDatabase } from './read-database.js';
import { ReadPositions } from './read-positions.js';

/** Injection token of the read models' TypeORM DataSource. */
export const READ_DATA_SOURCE = Symbol('READ_DATA_SOURCE');

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
}

class RunnerLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(READ_DATA_SOURCE) private readonly dataSource: DataSource,
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
    await this.dataSource.destroy();
  }
}

/**
 * The read side (global): the `read` schema's DataSource, migrated at start, the
 * projection runner that keeps every read model up to date with the log, and ReadPositions,
 * which tells how far they are and waits for them.
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
          provide: READ_DATA_SOURCE,
          useFactory: () =>
            openReadDatabase({
              connectionString: options.connectionString,
              poolSize: options.poolSize,
              entities: options.readModels.flatMap((m) => m.entities),
              migrations: options.readModels.flatMap((m) => m.migrations),
            }),
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
          inject: [options.eventStore, READ_DATA_SOURCE, ProjectionRunner],
          useFactory: (store: EventStore, dataSource: DataSource, runner: ProjectionRunner) =>
            new ReadPositions(store, dataSource, runner.projections, {
              logSizeSql: options.logSizeSql,
              waitMs: options.readWaitMs,
            }),
        },
        {
          provide: RunnerLifecycle,
          inject: [ProjectionRunner, READ_DATA_SOURCE],
          useFactory: (runner: ProjectionRunner, dataSource: DataSource) =>
            new RunnerLifecycle(runner, dataSource, options.run ?? true),
        },
      ],
      exports: [READ_DATA_SOURCE, ProjectionRunner, ReadPositions],
    };
  }
}
