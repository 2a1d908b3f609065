/**
 * Work keyed by what it computes, done once for all who ask while it is in flight: a caller
 * asking for a key already being computed gets that computation's promise instead of starting
 * another. Nothing is kept once it settles (a cache, if wanted, is the caller's).
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** `start()`'s promise, or the one already in flight for `key`. */
  run(key: string, start: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = start().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
