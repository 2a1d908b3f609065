import type { PostgresLedger } from './postgres-ledger.js';

export interface CheckpointSignerOptions {
  /** Sign once this many events are not covered by a checkpoint... */
  everyEvents: number;
  /** ...or once events have waited this long for one. */
  intervalMs: number;
  /** How often to look; a look is one cheap query. */
  tickMs?: number;
  log?: (line: string) => void;
}

/**
 * Signs checkpoints in the background: when `everyEvents` events are unsigned, or when the
 * oldest unsigned events have waited `intervalMs`. Several replicas may run one each: a
 * size is stored once, whoever signs it first.
 */
export class CheckpointSigner {
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private pendingSince: number | undefined;

  constructor(
    private readonly ledger: PostgresLedger,
    private readonly options: CheckpointSignerOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.tickMs ?? 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.busy;
  }

  /** One look: signs when a threshold is reached. Returns whether it signed. */
  async tick(now = Date.now()): Promise<boolean> {
    if (this.busy) return false;
    let signed = false;
    this.busy = (async () => {
      try {
        const [size, latest] = await Promise.all([
          this.ledger.size(),
          this.ledger.latestCheckpoint(),
        ]);
        const signedSize = latest?.size ?? 0;
        if (size <= signedSize) {
          this.pendingSince = undefined;
          return;
        }
        this.pendingSince ??= now;
        if (
          size - signedSize >= this.options.everyEvents ||
          now - this.pendingSince >= this.options.intervalMs
        ) {
          const checkpoint = await this.ledger.signCheckpoint();
          this.pendingSince = undefined;
          signed = true;
          this.options.log?.(`signed checkpoint ${checkpoint?.size}`);
        }
      } catch (error) {
        this.options.log?.(`checkpoint signing failed: ${(error as Error).message}`);
      }
    })();
    await this.busy;
    this.busy = undefined;
    return signed;
  }
}
