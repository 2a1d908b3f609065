import { TILE_WIDTH } from '#ledger';
import type { PostgresEventStore } from '#event-store';
import { LeaderTurns, type SingleLeaderLease } from '../support/single-leader-lease.js';
import { messageOf } from '../support/text.js';
import type { EntryBundles } from './entry-bundles.js';

/** Advisory lock key of the instance that stores entry bundles ('cbun'). */
export const ENTRY_BUNDLE_LOCK = 0x6362756e;

/** Who stores bundles, when several API processes share one database (ENTRY_BUNDLE_LOCK). */
export type FillerLease = SingleLeaderLease;

export interface EntryBundleFillerOptions {
  /** How often to look for full bundles to store (default 1 s); a look is two cheap queries. */
  tickMs?: number;
  /** After a bundle could not be stored, how long to wait before trying again (default 60 s). */
  retryMs?: number;
  /**
   * With several processes on one database, only the lease's holder stores bundles; the
   * others try to take it every `standbyMs` (default 5 s). Without it, this process does.
   */
  lease?: FillerLease;
  standbyMs?: number;
  log?: (line: string) => void;
}

/** Bundles asked for at a time while catching up. */
const BATCH = 256;

/**
 * Stores each full entry bundle (EntryBundles.save) in the background as the log grows, so
 * that readers of the tiles find them stored: every second it looks for full bundles of the
 * log that are not stored and stores them, oldest first, one at a time. A log that already
 * holds many events (an upgrade, an import) is caught up the same way. Bundles read before
 * it gets to them are stored by the read (LogTiles), so it only ever skips work.
 */
export class EntryBundleFiller {
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private stopping = false;
  /** Every full bundle below this one is stored, as far as this process knows. */
  private next = 0;
  private retryAt = 0;
  private readonly turns: LeaderTurns;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly bundles: EntryBundles,
    private readonly options: EntryBundleFillerOptions = {},
  ) {
    this.turns = new LeaderTurns(options.lease, {
      standbyMs: options.standbyMs ?? 5000,
      name: 'the entry bundle filler',
      // Another process stored bundles meanwhile: look again from the start.
      onTakeOver: () => (this.next = 0),
      log: options.log,
    });
  }

  start(): void {
    this.stopping = false;
    this.timer ??= setInterval(() => void this.tick(), this.options.tickMs ?? 1000);
  }

  /** Stops looking; a bundle being stored is finished first. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.busy;
    await this.turns.letGo();
  }

  /**
   * One look: stores every full bundle not stored yet (unless another process holds the
   * lease, or a failure is being waited out). Returns how many it stored.
   */
  async tick(now = Date.now()): Promise<number> {
    if (this.busy || now < this.retryAt) return 0;
    let stored = 0;
    this.busy = (async () => {
      let storing: number | undefined;
      try {
        if (!(await this.turns.lead(now))) return;
        const size = await this.store.head();
        for (;;) {
          const missing = await this.bundles.missing({ from: this.next, size, limit: BATCH });
          for (const index of missing) {
            if (this.stopping) return;
            storing = index;
            await this.bundles.save(index);
            storing = undefined;
            stored += 1;
            this.next = index + 1;
          }
          if (missing.length < BATCH) break;
        }
        this.next = Math.max(this.next, Math.floor(size / TILE_WIDTH));
      } catch (error) {
        this.retryAt = now + (this.options.retryMs ?? 60_000);
        this.options.log?.(
          `${storing === undefined ? 'looking for entry bundles to store' : `storing entry bundle ${storing}`} ` +
            `failed: ${messageOf(error)}`,
        );
      }
    })();
    await this.busy;
    this.busy = undefined;
    return stored;
  }
}
