import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export type LiveResult = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Subscribes over graphql-ws and collects `count` results. `ready` resolves once the server
 * has the subscription (it answered a first query on the same connection), so the test can
 * then cause the events.
 */
export function live(
  url: string,
  query: string,
  count: number,
  variables?: Record<string, unknown>,
) {
  const client: Client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const results: LiveResult[] = [];
  let subscribed: () => void = () => undefined;
  // Plus a moment: the server starts following from the head it reads when it subscribes.
  const ready = new Promise<void>((resolve) => (subscribed = resolve)).then(
    () => new Promise<void>((resolve) => setTimeout(resolve, 300)),
  );
  const done = new Promise<LiveResult[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`got ${results.length} of ${count}: ${JSON.stringify(results)}`)),
      15_000,
    );
    const stop = client.subscribe<LiveResult>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) reject(new Error(JSON.stringify(result.errors)));
          results.push(result.data as LiveResult);
          if (results.length === count) {
            clearTimeout(timer);
            stop();
            resolve(results);
          }
        },
        error: (error) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => {
          clearTimeout(timer);
          resolve(results);
        },
      },
    );
    // The subscription is in place once the server has answered a query sent after it on the
    // same socket (graphql-ws handles one connection's messages in order).
    client.subscribe(
      { query: '{ health { status } }' },
      { next: () => undefined, error: () => undefined, complete: () => subscribed() },
    );
  });
  return { ready, done: done.finally(() => client.dispose()) };
}
