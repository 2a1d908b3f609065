import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import type { ContextDemo } from './context-definition.js';

export interface DemosModuleOptions {
  /** The contexts' demos, loaded in this order. */
  demos: readonly ContextDemo[];
  /** Whether to load them at all (see `demoSetting`). */
  load: boolean;
}

const OPTIONS = Symbol('DemosModuleOptions');

class DemoLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(OPTIONS) private readonly options: DemosModuleOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.load || this.options.demos.length === 0) return;
    if ((await this.store.head()) > 0) return;
    for (const demo of this.options.demos) {
      const commands = await demo.load(this.store);
      if (commands > 0) {
        this.logger.log(
          `the log was empty: loaded ${demo.name} (${commands} commands; CUENTA_DEMO=off to skip)`,
        );
      }
    }
  }
}

/**
 * Loads the contexts' demos at start into a log that is empty then. Needs EventStoreModule.
 */
@Module({})
export class DemosModule {
  static forRoot(options: DemosModuleOptions): DynamicModule {
    return {
      module: DemosModule,
      providers: [{ provide: OPTIONS, useValue: options }, DemoLifecycle],
    };
  }
}
