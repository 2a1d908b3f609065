import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { READ_DATA_SOURCE } from '#platform';
import { CommitmentCommandHandler } from './application/commitment-command.handler.js';
import { CommitmentTimeline } from './application/commitment-timeline.js';
import { loadDemo } from './application/demo-loader.js';
import { CommitmentCommandsResolver } from './graphql/commitment-commands.resolver.js';
import {
  CommitmentConnectionResolver,
  CommitmentsResolver,
  MilestoneResolver,
} from './graphql/commitments.resolver.js';
import { CommitmentLiveResolver } from './graphql/live.resolver.js';
import { CommitmentQueries } from './read-models/commitments/commitments.queries.js';

export interface CommitmentsModuleOptions {
  /** Load the Cartagena demo at start when the log is empty (see `demoSetting`). */
  loadDemo?: boolean;
}

const OPTIONS = Symbol('CommitmentsModuleOptions');

class DemoLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger('Commitments');

  constructor(
    @Inject(OPTIONS) private readonly options: CommitmentsModuleOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommitmentCommandHandler) private readonly handler: CommitmentCommandHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.loadDemo) return;
    const commands = await loadDemo(this.store, this.handler);
    if (commands > 0) {
      this.logger.log(
        `the log was empty: loaded the Cartagena 2023 demo (${commands} commands; CUENTA_DEMO=off to skip)`,
      );
    }
  }
}

/**
 * The commitments context: command handlers, the read model's queries and the GraphQL API.
 * Needs EventStoreModule and ProjectionsModule (with `commitmentsReadModel`).
 */
@Module({})
export class CommitmentsModule {
  static forRoot(options: CommitmentsModuleOptions = {}): DynamicModule {
    return {
      module: CommitmentsModule,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: CommitmentCommandHandler,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new CommitmentCommandHandler(store),
        },
        {
          provide: CommitmentTimeline,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new CommitmentTimeline(store),
        },
        {
          provide: CommitmentQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new CommitmentQueries(dataSource),
        },
        DemoLifecycle,
        CommitmentLiveResolver,
        CommitmentCommandsResolver,
        CommitmentsResolver,
        MilestoneResolver,
        CommitmentConnectionResolver,
      ],
      exports: [CommitmentCommandHandler, CommitmentQueries, CommitmentTimeline],
    };
  }
}
