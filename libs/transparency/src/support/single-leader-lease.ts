/**
 * Which process does a piece of background work (pushing checkpoints to witnesses, storing
 * entry bundles) when several API processes share one database: only the holder of the
 * lease. The platform's AdvisoryLease fits, on a lock key of the work's own.
 */
export interface SingleLeaderLease {
  readonly held: boolean;
  /** Takes the lease if it is free. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
  /** Calls `onLost` once the lease is lost; returns the function that stops watching. */
  watch(heartbeatMs: number, onLost: () => void): () => void;
}

/**
 * Taking turns at a piece of background work through a SingleLeaderLease: `lead` says
 * whether this process does the work now, taking the lease when it is free (trying again
 * every `standbyMs`), and `letGo` gives it back. Without a lease, this process always leads.
 */
export class LeaderTurns {
  private nextAttempt = 0;
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly lease: SingleLeaderLease | undefined,
    private readonly options: {
      /** How often a process that does not lead tries to take the lease (ms). */
      standbyMs: number;
      /** What the work is called in log lines ("the witness pusher"). */
      name: string;
      /** Called when this process takes the lease: what others did meanwhile is unknown. */
      onTakeOver?: () => void;
      /** Called when this process stops leading (lost or given back the lease). */
      onLetGo?: () => void;
      log?: (line: string) => void;
    },
  ) {}

  /** Whether this process leads: it holds the lease, or there is none. */
  get active(): boolean {
    return this.lease?.held ?? true;
  }

  /** Takes the lease when it is free and time to try; true when this process leads. */
  async lead(now: number): Promise<boolean> {
    const { lease, options } = this;
    if (!lease || lease.held) return true;
    if (now < this.nextAttempt) return false;
    this.nextAttempt = now + options.standbyMs;
    if (!(await lease.acquire())) return false;
    options.onTakeOver?.();
    this.unwatch = lease.watch(options.standbyMs, () => {
      // Letting go ends the lease's connection too: that is no loss.
      if (!this.unwatch) return;
      options.log?.(`${options.name} lost its lease; standing by`);
      void this.letGo();
    });
    return true;
  }

  async letGo(): Promise<void> {
    this.unwatch?.();
    this.unwatch = undefined;
    this.options.onLetGo?.();
    await this.lease?.release();
  }
}
