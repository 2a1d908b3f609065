/**
 * Reads keyed by what they read, shared without ever answering from the past: each caller gets
 * the result of a read of its key that started after it asked, never of one already under way
 * when it asked. So a shared answer is as new as an answer of the caller's own would be.
 *
 * At most one read of a key runs at a time. Callers that ask while it runs share the next one,
 * which starts when it settles (either way); callers that ask when none runs start one. Under
 * load, a key is read about once per read's duration, however many callers ask, at the cost of
 * waiting up to two reads instead of one. (`SingleFlight` shares the read under way instead:
 * cheaper, but its answer may predate the caller.) Nothing is kept once a read settles.
 */
export class FreshReads<T, K = string> {
  private readonly keys = new Map<K, { running: Promise<T>; next?: Promise<T> }>();

  /** A result of `read()` for `key` (any Map key), from a read that started after this call. */
  run(key: K, read: () => Promise<T>): Promise<T> {
    const flight = this.keys.get(key);
    if (flight === undefined) return this.start(key, read);
    // The running read may have begun before this caller asked: wait for the next one.
    flight.next ??= flight.running.then(
      () => this.start(key, read),
      () => this.start(key, read),
    );
    return flight.next;
  }

  private start(key: K, read: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = read();
    } catch (error) {
      running = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.keys.set(key, { running });
    const settled = () => {
      if (this.keys.get(key)?.running === running) this.keys.delete(key);
    };
    running.then(settled, settled);
    return running;
  }
}
