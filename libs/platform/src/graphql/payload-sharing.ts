import {
  createSourceEventStream,
  execute,
  print,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

/** Payloads whose every selection answers the same for every subscriber (`sharedPayload`). */
const shareable = new WeakSet<object>();

/**
 * Marks a subscription payload as the same for every subscriber: no field under it reads the
 * caller (its identity, its context) or anything but the payload, so the execution of one
 * selection of it can be sent to every subscriber of that selection. A resolver marks only
 * payloads it hands to several subscribers as one object (a live feed's events are shared by
 * the subscribers that read the same page of the log).
 */
export function sharedPayload<T extends object>(payload: T): T {
  shareable.add(payload);
  return payload;
}

/**
 * graphql-js's `subscribe` (the source stream, each payload executed against the operation's
 * selection), except that a payload marked with `sharedPayload` is executed once per distinct
 * operation (its text, operation name and variables) and the result is given to every
 * subscription of that operation. Two hundred subscribers of the log's events then cost one
 * execution of each event, not two hundred. The result is shared as it is: nothing downstream
 * may change it. Payloads not marked are executed for each subscriber, as graphql-js does.
 */
export function sharingSubscribe(): (
  args: ExecutionArgs,
) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  // By payload, then by operation: forgotten with the payload once no feed holds it.
  const results = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();
  return async (args) => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source;
    const operation = `${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${print(args.document)}`;
    const run = (payload: unknown) => execute({ ...args, rootValue: payload });
    return mapIterator(source[Symbol.asyncIterator](), (payload) => {
      if (typeof payload !== 'object' || payload === null || !shareable.has(payload)) {
        return run(payload);
      }
      let byOperation = results.get(payload);
      if (byOperation === undefined) {
        byOperation = new Map();
        results.set(payload, byOperation);
      }
      let result = byOperation.get(operation);
      if (result === undefined) {
        result = run(payload);
        byOperation.set(operation, result);
      }
      return result;
    });
  };
}

/**
 * `iterator` with each value mapped, whose `return()` and `throw()` reach the source at once
 * (an unsubscribe must not wait for the next event), as graphql-js maps a subscription.
 */
function mapIterator<T, U>(
  iterator: AsyncIterator<T>,
  map: (value: T) => U | Promise<U>,
): AsyncIterableIterator<U> {
  const mapResult = async (result: IteratorResult<T>): Promise<IteratorResult<U>> => {
    if (result.done) return result;
    try {
      return { value: await map(result.value), done: false };
    } catch (error) {
      await iterator.return?.().catch(() => undefined);
      throw error;
    }
  };
  return {
    async next() {
      return mapResult(await iterator.next());
    },
    async return() {
      return iterator.return
        ? mapResult(await iterator.return())
        : { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      if (iterator.throw) return mapResult(await iterator.throw(error));
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
