import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from './event-store.port.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { Upcasters } from './upcasters.js';

/** Injection token of the application's `EventStore`. */
export const EVENT_STORE = Symbol('EVENT_STORE');

export interface EventStoreModuleOptions {
  connectionString: string;
  poolSize?: number;
  upcasters?: Upcasters;
  /** See PostgresEventStoreOptions.unavailableAfterMs. */
  unavailableAfterMs?: number;
}

class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: () =>
            PostgresEventStore.open({
              connectionString: options.connectionString,
              poolSize: options.poolSize,
              upcasters: options.upcasters,
              unavailableAfterMs: options.unavailableAfterMs,
            }),
        },
        EventStoreLifecycle,
      ],
      exports: [EVENT_STORE],
    };
  }
}
