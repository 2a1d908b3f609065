import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, PostgresEventStore, type EventStore } from '#event-store';
import { AdvisoryLease } from '#platform';
import { CheckpointFeed } from '../graphql/checkpoint-feed.js';
import { CheckpointLiveResolver } from '../graphql/checkpoint.resolver.js';
import { InclusionProofResolver, LedgerResolver } from '../graphql/ledger.resolver.js';
import { CheckpointSigner } from './checkpoint-signer.js';
import { ENTRY_BUNDLE_LOCK, EntryBundleFiller } from './entry-bundle-filler.js';
import { EntryBundles } from './entry-bundles.js';
import { LEDGER_SERVICE } from './ledger.tokens.js';
import { LogTiles } from './log-tiles.js';
import { PostgresLedger } from './postgres-ledger.js';
import { LogWitnessesResolver } from '../graphql/log-witnesses.resolver.js';
import { WITNESS_PUSH_LOCK, WitnessPusher } from '../witnesses/witness-pusher.js';
import { WitnessRoster } from '../witnesses/witness-roster.service.js';

const SIGNER = Symbol('CHECKPOINT_SIGNER');

export interface LedgerModuleOptions {
  origin: string;
  signerKey: string;
  witnessKeys: string[];
  checkpointEveryEvents: number;
  checkpointIntervalSeconds: number;
  /** How often the witness pusher looks for a checkpoint to push (default 1000 ms). */
  witnessPushTickMs?: number;
  /**
   * The database, for the witness pusher's lease: with several API processes on one
   * database, only the one holding it pushes. Without it, this process pushes.
   */
  connectionString?: string;
}

class SignerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(SIGNER) private readonly signer: CheckpointSigner,
    @Inject(WitnessPusher) private readonly pusher: WitnessPusher,
    @Inject(EntryBundleFiller) private readonly filler: EntryBundleFiller,
  ) {}
  onApplicationBootstrap(): void {
    this.signer.start();
    this.pusher.start();
    this.filler.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.filler.stop();
    await this.pusher.stop();
    await this.signer.stop();
  }
}

/**
 * The transparency log: its service, the background checkpoint signer, its tiles
 * (c2sp.org/tlog-tiles) with the background writer of their full entry bundles, and its
 * GraphQL API, with the subscription to signed checkpoints.
 * (The log's events, live, are platform's LiveEventsModule.)
 */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerModuleOptions): DynamicModule {
    const logger = new Logger('Ledger');
    return {
      module: LedgerModule,
      global: true,
      providers: [
        {
          provide: WitnessRoster,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new WitnessRoster(store),
        },
        {
          provide: LEDGER_SERVICE,
          inject: [EVENT_STORE, WitnessRoster],
          useFactory: (store: EventStore, roster: WitnessRoster) => {
            if (!(store instanceof PostgresEventStore)) {
              throw new Error('the ledger reads its tree from the PostgreSQL event store');
            }
            return new PostgresLedger(store.pool, { ...options, rosterKeys: () => roster.keys() });
          },
        },
        {
          provide: WitnessPusher,
          inject: [LEDGER_SERVICE, WitnessRoster],
          useFactory: (ledger: PostgresLedger, roster: WitnessRoster) =>
            new WitnessPusher(ledger, {
              witnesses: () => roster.current(),
              tickMs: options.witnessPushTickMs,
              lease:
                options.connectionString === undefined
                  ? undefined
                  : new AdvisoryLease(
                      options.connectionString,
                      WITNESS_PUSH_LOCK,
                      'cuenta-witness-pusher',
                    ),
              log: (line) => logger.log(line),
            }),
        },
        {
          provide: SIGNER,
          inject: [LEDGER_SERVICE],
          useFactory: (ledger: PostgresLedger) =>
            new CheckpointSigner(ledger, {
              everyEvents: options.checkpointEveryEvents,
              intervalMs: options.checkpointIntervalSeconds * 1000,
              log: (line) => logger.log(line),
            }),
        },
        {
          provide: CheckpointFeed,
          inject: [EVENT_STORE, LEDGER_SERVICE],
          useFactory: (store: EventStore, ledger: PostgresLedger) =>
            new CheckpointFeed(store, ledger),
        },
        {
          provide: EntryBundleFiller,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) =>
            new EntryBundleFiller(
              store as PostgresEventStore,
              new EntryBundles(store as PostgresEventStore),
              {
                lease:
                  options.connectionString === undefined
                    ? undefined
                    : new AdvisoryLease(
                        options.connectionString,
                        ENTRY_BUNDLE_LOCK,
                        'cuenta-entry-bundles',
                      ),
                log: (line) => logger.log(line),
              },
            ),
        },
        {
          provide: LogTiles,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new LogTiles(store as PostgresEventStore),
        },
        SignerLifecycle,
        LedgerResolver,
        InclusionProofResolver,
        CheckpointLiveResolver,
        LogWitnessesResolver,
      ],
      exports: [LEDGER_SERVICE, LogTiles, WitnessRoster],
    };
  }
}
