import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
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
 */
export function readCachePlugin(options: ReadCacheOptions): ApolloServerPlugin<CuentaContext> {
  if (options.maxBytes === 0) return {};
  const fields = new Set(options.fields);
  // Sized by their JSON (the `size` given to `set`); one answer may take at most 4 MiB.
  const answers = new LRUCache<string, Record<string, unknown>>({
    maxSize: options.maxBytes,
    maxEntrySize: Math.min(options.maxBytes, 4 * 2 ** 20),
  });

  const cacheable = (context: GraphQLRequestContext<CuentaContext>) =>
    !context.contextValue.identity?.authenticated &&
    context.operation !== undefined &&
    onlyFields(context.operation, fields);

  return {
    // Once per operation, so each operation of a batched request keeps its own key. The
    // operations of a batch share one response head: the header is left off them.
    async requestDidStart({ requestIsBatched }) {
      let pending: string | undefined;
      const headers = (value: string) =>
        new HeaderMap(requestIsBatched ? [] : [[CACHE_HEADER, value]]);
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
          if (data === undefined) {
            pending = key;
            return null;
          }
          return {
            http: { status: undefined, headers: headers('hit') },
            body: { kind: 'single', singleResult: { data } },
          };
        },
        async willSendResponse({ response, contextValue }) {
          const key = pending;
          if (key === undefined) return;
          pending = undefined;
          for (const [name, value] of headers('miss')) response.http.headers.set(name, value);
          const { body } = response;
          if (body.kind !== 'single' || body.singleResult.errors || !body.singleResult.data) return;
          if ((contextValue as unknown as Record<symbol, boolean | undefined>)[KEPT_OUT]) return;
          const data = body.singleResult.data;
          answers.set(key, data, { size: key.length + JSON.stringify(data).length });
        },
      };
    },
  };
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
