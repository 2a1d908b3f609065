/**
 * A minimal DataLoader (the `dataloader` package is not installed): `load(key)` calls made
 * while GraphQL resolves one level of a query are collected and answered by one call to
 * `batch`, once the current turn of the event loop is done. Results are cached per loader,
 * and a loader lives for one request.
 */
export class BatchLoader<K, V> {
  private readonly cache = new Map<K, Promise<V>>();
  private queue: { key: K; resolve: (value: V) => void; reject: (error: unknown) => void }[] = [];

  /** `batch` gets distinct keys and returns one value per key, in the same order. */
  constructor(private readonly batch: (keys: readonly K[]) => Promise<V[]>) {}

  load(key: K): Promise<V> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.dispatch());
      this.queue.push({ key, resolve, reject });
    });
    this.cache.set(key, promise);
    return promise;
  }

  private async dispatch(): Promise<void> {
    const queue = this.queue;
    this.queue = [];
    try {
      const values = await this.batch(queue.map((entry) => entry.key));
      queue.forEach((entry, i) => entry.resolve(values[i]));
    } catch (error) {
      for (const entry of queue) {
        this.cache.delete(entry.key);
        entry.reject(error);
      }
    }
  }
}

/** Groups `rows` by `keyOf` into one list per key, in the order of `keys`. */
export function groupBy<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
