import DataLoader from 'dataloader';

/**
 * A DataLoader for one request: `load(key)` calls made while GraphQL resolves one level of a
 * query are collected and answered by one call to `batch` (distinct keys in, one value per
 * key out, in the same order), once the current turn of the event loop is done, so that
 * resolvers that wait for I/O before loading still join the batch. Results are cached for
 * the loader's life (a request); a batch that fails is forgotten, so a retry reads again.
 */
export function requestLoader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(batch, { batchScheduleFn: (dispatch) => setImmediate(dispatch) });
}

/**
 * A request's own instance of something (its loaders), kept with the request's GraphQL
 * context and made on first use.
 */
export function perRequest<T extends object>(): (context: object, create: () => T) => T {
  const instances = new WeakMap<object, T>();
  return (context, create) => {
    let instance = instances.get(context);
    if (instance === undefined) {
      instance = create();
      instances.set(context, instance);
    }
    return instance;
  };
}
