import {
  HeaderMap,
  type ApolloServerPlugin,
  type GraphQLRequestContext,
  type GraphQLResponse,
} from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { CuentaContext } from '../auth/request-context.js';
import { MIN_POSITION_HEADER } from './min-position.js';

/** How a request was answered, in the `x-cuenta-cache` response header. */
export const CACHE_HEADER = 'x-cuenta-cache';

export interface ReadCacheOptions {
  /** Memory for cached answers, in bytes of their JSON; 0 turns the cache off. */
  maxBytes: number;
  /**
   * Root query fields whose answers are functions of the log and the read models alone,
   * the same for every caller, and open to anonymous callers.
   */
  fields: readonly string[];
  /** Where the log and the read models stand now (see `readVersion`): part of every key. */
  version: () => Promise<string>;
}

const KEPT_OUT = Symbol.for('cuenta.read-cache.kept-out');

/**
 * Keeps the answer of the request whose GraphQL context this is out of the read cache: a
 * resolver calls it when the answer shows what the cache must never hold (a personal value,
 * Ley 1581) or what changes with the clock rather than the log.
 */
export function keepOutOfReadCache(context: object): void {
  (context as Record<symbol, boolean>)[KEPT_OUT] = true;
}

/**
 * Answers public reads from memory while the log and the read models have not moved.
 *
 * An anonymous query whose root fields are all in `fields` is keyed by the text's hash, its
 * operation name, its variables and `version()`, read in one statement before the lookup.
 * A hit is the answer execution would give at that version, or a later one (an answer is
 * stored under the version read before it was computed), so it is never older than the
 * state when the request came in. A minimum position (the `minPosition` argument, in the
 * variables or the text, or the X-Cuenta-Min-Position header, also in the key) is met by
 * any answer stored under the same key: it was computed after waiting for that position.
 * Callers with a token always execute: their reads are checked field by field. Answers with errors are
 * never stored, nor those a resolver kept out (`keepOutOfReadCache`). The limits (tokens, depth, cost, rate) are checked before the lookup.
 *
 * Requests that miss on a key whose answer another request is computing wait for that answer
 * instead of computing it again (when the version moves, every request in flight would
 * otherwise miss at once); if it is not stored (an error, kept out), each computes its own.
 */
export function readCachePlugin(options: ReadCacheOptions): ApolloServerPlugin<CuentaContext> {
  if (options.maxBytes === 0) return {};
  const fields = new Set(options.fields);
  // Sized by their JSON (the `size` given to `set`); one answer may take at most 4 MiB.
  const answers = new LRUCache<string, Record<string, unknown>>({
    maxSize: options.maxBytes,
    maxEntrySize: Math.min(options.maxBytes, 4 * 2 ** 20),
  });

  // The keys being computed, each with the promise of its answer (undefined: not stored).
  const computing = new Map<string, Promise<Record<string, unknown> | undefined>>();

  const cacheable = (context: GraphQLRequestContext<CuentaContext>) =>
    !context.contextValue.identity?.authenticated &&
    context.operation !== undefined &&
    onlyFields(context.operation, fields);

  return {
    // Once per operation, so each operation of a batched request keeps its own key. The
    // operations of a batch share one response head: the header is left off them.
    async requestDidStart({ requestIsBatched }) {
      let pending:
        { key: string; done(data: Record<string, unknown> | undefined): void } | undefined;
      const headers = (value: string) =>
        new HeaderMap(requestIsBatched ? [] : [[CACHE_HEADER, value]]);
      const hit = (data: Record<string, unknown>): GraphQLResponse => ({
        http: { status: undefined, headers: headers('hit') },
        body: { kind: 'single', singleResult: { data } },
      });
      return {
        async responseForOperation(context) {
          if (!cacheable(context)) return null;
          const key = [
            await options.version(),
            context.queryHash,
            context.operationName ?? '',
            JSON.stringify(context.request.variables ?? {}),
            // An answer computed after waiting for a position reflects it (see ReadPositions).
            context.request.http?.headers.get(MIN_POSITION_HEADER) ?? '',
          ].join('\n');
          const data = answers.get(key);
          if (data !== undefined) return hit(data);
          const inFlight = computing.get(key);
          if (inFlight !== undefined) {
            const shared = await waitFor(inFlight, () => {
              // Its request never reported back: the next miss computes the key again.
              if (computing.get(key) === inFlight) computing.delete(key);
            });
            if (shared !== undefined) return hit(shared);
            pending = { key, done: () => undefined };
            return null;
          }
          // This request computes the key's answer; requests that miss on it meanwhile wait.
          let resolve!: (data: Record<string, unknown> | undefined) => void;
          const answer = new Promise<Record<string, unknown> | undefined>((r) => (resolve = r));
          computing.set(key, answer);
          pending = {
            key,
            done: (data) => {
              if (computing.get(key) === answer) computing.delete(key);
              resolve(data);
            },
          };
          return null;
        },
        async willSendResponse({ response, contextValue }) {
          if (pending === undefined) return;
          const { key, done } = pending;
          pending = undefined;
          for (const [name, value] of headers('miss')) response.http.headers.set(name, value);
          const { body } = response;
          const data = body.kind === 'single' ? body.singleResult.data : undefined;
          const storable =
            body.kind === 'single' &&
            !body.singleResult.errors &&
            data &&
            !(contextValue as unknown as Record<symbol, boolean | undefined>)[KEPT_OUT];
          if (storable) answers.set(key, data, { size: key.length + JSON.stringify(data).length });
          done(storable ? data : undefined);
        },
      };
    },
  };
}

/**
 * How long a request waits for the answer another is computing before it computes its own:
 * far longer than a read takes, so only a request that never reported back reaches it.
 */
const SHARED_ANSWER_WAIT_MS = 10_000;

/** `answer`, or undefined (after `gaveUp`) when it takes longer than SHARED_ANSWER_WAIT_MS. */
async function waitFor<T>(answer: Promise<T | undefined>, gaveUp: () => void) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      gaveUp();
      resolve(undefined);
    }, SHARED_ANSWER_WAIT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when every root selection of `operation` is a query field in `fields`. */
function onlyFields(operation: OperationDefinitionNode, fields: ReadonlySet<string>): boolean {
  if (operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every(
    (selection) =>
      selection.kind === Kind.FIELD &&
      (fields.has(selection.name.value) || selection.name.value === '__typename'),
  );
}
