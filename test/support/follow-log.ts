import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A subscription to the log over graphql-ws, open until `close`: counts the events it gets
 * and notes any error.
 */
export function followLog(url: string, variables: { from?: number; limit?: number } = {}) {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  let received = 0;
  let error: unknown;
  const done = new Promise<void>((resolve) => {
    client.subscribe(
      {
        query: `subscription ($from: Int, $limit: Int) {
          eventsAppended(from: $from, limit: $limit) { position type }
        }`,
        variables,
      },
      {
        next: () => void received++,
        error: (e) => {
          error = e;
          resolve();
        },
        complete: resolve,
      },
    );
  });
  return {
    done,
    received: () => received,
    error: () => error,
    close: async () => {
      await client.dispose();
    },
  };
}
