import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { cartagenaRegistration } from './cartagena.js';
import { graphql, type ServerProcess } from './server.js';

/** One write the API acknowledged: when it was sent, when it was answered, where it went. */
export interface Acknowledged {
  /** The commitment it registered (its stream is `commitment-<id>`). */
  id: string;
  sentAt: number;
  answeredAt: number;
  positions: number[];
}

export interface WriteLoad {
  readonly acknowledged: readonly Acknowledged[];
  /** Requests that failed (each is retried with the same command id until it is answered). */
  readonly failures: number;
  /** How many failures had each error code (`HTTP <status>` without one). */
  readonly errorCodes: ReadonlyMap<string, number>;
  /** Stops sending; resolves once every writer's last request is answered. */
  stop(): Promise<void>;
}

/**
 * `writers` loops, each registering commitments one after another as `headers`' caller. A
 * request that fails is sent again with the same input and command id, so a write the API
 * committed but could not acknowledge is answered by the retry, and nothing is written twice.
 */
export function startWriteLoad(
  url: string,
  headers: Record<string, string>,
  options: { prefix: string; writers?: number },
): WriteLoad {
  const acknowledged: Acknowledged[] = [];
  let failures = 0;
  const errorCodes = new Map<string, number>();
  let stopping = false;
  const writer = async (w: number) => {
    for (let i = 0; !stopping; i++) {
      const id = `${options.prefix}-${w}-${i}`;
      const input = {
        ...cartagenaRegistration({ commitmentId: id, code: `${options.prefix}-${w}-${i}` }),
        commandId: id,
      };
      // A bounded number of tries: an outage longer than about a minute fails the test.
      for (let attempt = 0; attempt < 3000; attempt++) {
        const sentAt = Date.now();
        const answer = await graphql(
          url,
          'mutation ($input: RegisterCommitmentInput!) { registerCommitment(input: $input) { positions } }',
          { input },
          headers,
        ).catch((error: Error) => ({
          status: 0,
          body: { data: undefined, errors: [{ message: error.message, extensions: undefined }] },
        }));
        const data = answer.body.data as
          { registerCommitment: { positions: number[] } } | undefined;
        if (data?.registerCommitment) {
          acknowledged.push({
            id,
            sentAt,
            answeredAt: Date.now(),
            positions: data.registerCommitment.positions,
          });
          break;
        }
        failures++;
        const code = String(answer.body.errors?.[0]?.extensions?.code ?? `HTTP ${answer.status}`);
        errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
        if (stopping) return;
        if (attempt === 2999) throw new Error(`write ${id} failed: ${JSON.stringify(answer.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const running = Promise.all(Array.from({ length: options.writers ?? 4 }, (_, w) => writer(w)));
  return {
    acknowledged,
    get failures() {
      return failures;
    },
    errorCodes,
    stop: async () => {
      stopping = true;
      await running;
    },
  };
}

/**
 * The time from `since` until the first write sent at or after `since` is acknowledged, in
 * ms; waits up to `timeoutMs` for one.
 */
export async function writesResumeAfter(
  load: WriteLoad,
  since: number,
  server: ServerProcess,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const first = load.acknowledged.find((write) => write.sentAt >= since);
    if (first) return first.answeredAt - since;
    if (server.exitCode() !== null) {
      throw new Error(`the API exited with ${server.exitCode()}:\n${server.output().slice(-3000)}`);
    }
    if (Date.now() > deadline) throw new Error(`no write acknowledged within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A graphql-ws subscription that never resubscribes: it records what arrives and how it ends. */
export interface OpenSubscription<T> {
  readonly received: T[];
  /** The error or completion that ended it, if it ended. */
  readonly ended: { error?: unknown; completed?: boolean } | undefined;
  /** Resolves once the server holds the subscription. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens `query` on one graphql-ws connection and keeps it open: `retryAttempts: 0`, so a
 * dropped socket or an ended subscription shows in `ended` rather than being retried.
 */
export function openSubscription<T>(
  url: string,
  query: string,
  pick: (data: Record<string, unknown>) => T,
  variables?: Record<string, unknown>,
): OpenSubscription<T> {
  const client: Client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const received: T[] = [];
  const state: { ended?: OpenSubscription<T>['ended'] } = {};
  client.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) state.ended = { error: result.errors };
        else if (result.data) received.push(pick(result.data));
      },
      error: (error) => (state.ended = { error }),
      complete: () => (state.ended ??= { completed: true }),
    },
  );
  // graphql-ws handles one connection's messages in order: once a query sent after the
  // subscription is answered, the server holds the subscription.
  const ready = new Promise<void>((resolve, reject) =>
    client.subscribe(
      { query: '{ health { status } }' },
      { next: () => undefined, error: reject, complete: resolve },
    ),
  );
  return {
    received,
    get ended() {
      return state.ended;
    },
    ready,
    close: async () => {
      await client.dispose();
    },
  };
}

/** Waits (every 50 ms, up to `timeoutMs`) until `done()` holds; fails naming `what`. */
export async function waitFor(what: string, done: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The lowest checkpoint of the read models' projections in the database at `url`. */
export async function projectedUpTo(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ position: string | null }>(
      'SELECT min(position) AS position FROM read.projection_checkpoints',
    );
    return Number(rows[0].position ?? 0);
  } finally {
    await client.end();
  }
}
