export const ABORTED = Symbol('aborted');

/**
 * Settles as `promise` does, or with ABORTED as soon as `signal` aborts (at once if it has).
 * Unlike `Promise.race([promise, abortedPromise])`, nothing stays attached to the signal once
 * this settles: its listener is removed, so a signal that lives long (a runner's lifetime)
 * keeps no reference to the results of the many waits made on it.
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal,
): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
