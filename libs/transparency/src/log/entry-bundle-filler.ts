import { TILE_WIDTH } from '#ledger';
import type { PostgresEventStore } from '#event-store';
import { messageOf } from '../support/text.js';
import type { EntryBundles } from './entry-bundles.js';

/** Advisory lock key of the instance that stores entry bundles ('cbun'). */
export const ENTRY_BUNDLE_LOCK = 0x6362756e;

/**
 * Who stores bundles, when several API processes share one database: only the holder of the
 * lease (platform's AdvisoryLease on ENTRY_BUNDLE_LOCK fits).
 */
export interface FillerLease {
  readonly held: boolean;
  /** Takes the lease if it is free. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
  /** Calls `onLost` once the lease is lost; returns the function that stops watching. */
  watch(heartbeatMs: number, onLost: () => void): () => void;
}

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
  private nextLeaseAttempt = 0;
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly bundles: EntryBundles,
    private readonly options: EntryBundleFillerOptions = {},
  ) {}

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
    this.unwatch?.();
    this.unwatch = undefined;
    await this.options.lease?.release();
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
        if (!(await this.lead(now))) return;
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

  /** Takes the lease when it is free and time to try; true when this process stores. */
  private async lead(now: number): Promise<boolean> {
    const { lease } = this.options;
    if (!lease || lease.held) return true;
    if (now < this.nextLeaseAttempt) return false;
    this.nextLeaseAttempt = now + (this.options.standbyMs ?? 5000);
    if (!(await lease.acquire())) return false;
    // Another process stored bundles meanwhile: look again from the start.
    this.next = 0;
    this.unwatch = lease.watch(this.options.standbyMs ?? 5000, () => {
      if (!this.unwatch) return;
      this.unwatch();
      this.unwatch = undefined;
      this.options.log?.('the entry bundle filler lost its lease; standing by');
      void lease.release();
    });
    return true;
  }
}
