import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import pg from 'pg';
import { keepErrorListener } from '#event-store';
import { loadOrCreatePersonalDataKey } from './personal-data-key.js';
import { PersonalDataStore } from './personal-data.store.js';

/** Injection token of the pool the store uses, closed on shutdown. */
const PERSONAL_DATA_POOL = Symbol('PERSONAL_DATA_POOL');

export interface PersonalDataModuleOptions {
  connectionString: string;
  poolSize?: number;
  /** The key-encryption key's file (PersonalDataConfig.keyFile). */
  keyFile: string;
  /**
   * How old a sealed value no event references must be before the sweep deletes it, and how
   * often the sweep runs (ms; default one hour). 0: no sweep in this process.
   */
  sweepEveryMs?: number;
}

const HOUR_MS = 3_600_000;

class SweepLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private readonly logger = new Logger('PersonalData');

  constructor(
    @Inject(PersonalDataStore) private readonly store: PersonalDataStore,
    @Inject(PERSONAL_DATA_POOL) private readonly pool: pg.Pool,
    private readonly everyMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.everyMs <= 0) return;
    this.timer = setInterval(() => {
      this.store.sweepUnreferenced(this.everyMs).then(
        (count) => {
          if (count > 0) this.logger.log(`deleted ${count} personal values no event references`);
        },
        (error: Error) =>
          this.logger.warn(`sweep of unreferenced personal values failed: ${error.message}`),
      );
    }, this.everyMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.pool.end();
  }
}

/**
 * The personal-data store (global): PersonalDataStore over a pool of its own, with the
 * key-encryption key loaded (or generated once) at start. Its tables are migrated with the
 * platform's read migrations (PERSONAL_DATA_MIGRATIONS, run by openReadDatabase).
 */
@Module({})
export class PersonalDataModule {
  static forRoot(options: PersonalDataModuleOptions): DynamicModule {
    const logger = new Logger('PersonalData');
    return {
      module: PersonalDataModule,
      global: true,
      providers: [
        {
          provide: PERSONAL_DATA_POOL,
          useFactory: () => {
            const pool = new pg.Pool({
              connectionString: options.connectionString,
              max: options.poolSize ?? 10,
              application_name: 'cuenta-personal-data',
              onConnect: keepErrorListener,
            });
            pool.on('error', () => undefined); // an idle client dropped; the pool replaces it
            return pool;
          },
        },
        {
          provide: PersonalDataStore,
          inject: [PERSONAL_DATA_POOL],
          useFactory: async (pool: pg.Pool) => {
            const { kek } = await loadOrCreatePersonalDataKey({
              file: options.keyFile,
              log: (line) => logger.log(line),
            });
            return new PersonalDataStore({ pool, kek });
          },
        },
        {
          provide: SweepLifecycle,
          inject: [PersonalDataStore, PERSONAL_DATA_POOL],
          useFactory: (store: PersonalDataStore, pool: pg.Pool) =>
            new SweepLifecycle(store, pool, options.sweepEveryMs ?? HOUR_MS),
        },
      ],
      exports: [PersonalDataStore],
    };
  }
}
