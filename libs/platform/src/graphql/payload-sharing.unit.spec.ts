import { describe, expect, it } from '@jest/globals';
import { buildSchema, GraphQLError, parse, type ExecutionResult } from 'graphql';
import { sharedPayload, sharingSubscribe } from './payload-sharing.js';

const schema = buildSchema(`
  type Query { noop: Int }
  type Subscription { ticks(every: Int): Tick }
  type Tick { n: Int!  label(prefix: String): String! }
`);

/** Payloads `{ ticks }` pushed by hand to every subscriber, and how often `label` ran. */
function feed() {
  const waiting = new Set<(payload: object) => void>();
  let closed = 0;
  let labels = 0;
  const tick = (n: number) => ({
    n,
    label: ({ prefix }: { prefix?: string }) => {
      labels += 1;
      return `${prefix ?? ''}${n}`;
    },
  });
  const rootValue = {
    ticks: () => {
      const iterator: AsyncIterableIterator<object> = {
        next: () =>
          new Promise<IteratorResult<object>>((resolve) => {
            const deliver = (payload: object) => {
              waiting.delete(deliver);
              resolve({ value: payload, done: false });
            };
            waiting.add(deliver);
          }),
        return: async () => {
          closed += 1;
          return { value: undefined, done: true };
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      return iterator;
    },
  };
  return {
    rootValue,
    push(payload: object) {
      for (const deliver of [...waiting]) deliver(payload);
    },
    tick,
    get labels() {
      return labels;
    },
    get closed() {
      return closed;
    },
  };
}

async function subscribeTo(
  subscribe: ReturnType<typeof sharingSubscribe>,
  rootValue: object,
  query: string,
  variableValues?: Record<string, unknown>,
) {
  const result = await subscribe({ schema, document: parse(query), rootValue, variableValues });
  if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result));
  return result;
}

const QUERY = 'subscription ($p: String) { ticks { n label(prefix: $p) } }';

describe('sharingSubscribe', () => {
  it('executes a shared payload once for the subscribers of the same operation', async () => {
    const subscribe = sharingSubscribe();
    const source = feed();
    const subscribers = await Promise.all(
      [1, 2, 3].map(() => subscribeTo(subscribe, source.rootValue, QUERY, { p: '#' })),
    );
    const next = subscribers.map((subscriber) => subscriber.next());
    await new Promise((resolve) => setImmediate(resolve));
    source.push(sharedPayload({ ticks: source.tick(1) }));
    const results = (await Promise.all(next)).map((r) => r.value as ExecutionResult);

    expect(results).toEqual(Array(3).fill({ data: { ticks: { n: 1, label: '#1' } } }));
    expect(source.labels).toBe(1);
    await Promise.all(subscribers.map((subscriber) => subscriber.return?.()));
  });

  it('executes apart other operations, and payloads not marked as shared', async () => {
    const subscribe = sharingSubscribe();
    const source = feed();
    const hash = await subscribeTo(subscribe, source.rootValue, QUERY, { p: '#' });
    const star = await subscribeTo(subscribe, source.rootValue, QUERY, { p: '*' });
    const again = await subscribeTo(subscribe, source.rootValue, QUERY, { p: '#' });

    let next = [hash.next(), star.next(), again.next()];
    await new Promise((resolve) => setImmediate(resolve));
    source.push(sharedPayload({ ticks: source.tick(1) }));
    const shared = (await Promise.all(next)).map((r) => r.value as ExecutionResult);
    expect(shared.map((r) => (r.data?.ticks as { label: string }).label)).toEqual([
      '#1',
      '*1',
      '#1',
    ]);
    expect(source.labels).toBe(2);

    next = [hash.next(), star.next(), again.next()];
    await new Promise((resolve) => setImmediate(resolve));
    source.push({ ticks: source.tick(2) });
    await Promise.all(next);
    expect(source.labels).toBe(5);
    await Promise.all([hash, star, again].map((subscriber) => subscriber.return?.()));
  });

  it('closes the source at once when a subscriber leaves while it waits', async () => {
    const subscribe = sharingSubscribe();
    const source = feed();
    const subscriber = await subscribeTo(subscribe, source.rootValue, QUERY);
    const pending = subscriber.next();

    await subscriber.return?.();

    expect(source.closed).toBe(1);
    source.push(sharedPayload({ ticks: source.tick(1) }));
    expect((await pending).done).toBe(false);
  });

  it('answers an operation its resolver refuses with the errors, as graphql-js does', async () => {
    const result = await sharingSubscribe()({
      schema,
      document: parse('subscription { ticks { n } }'),
      rootValue: {
        ticks: () => {
          throw new GraphQLError('refused');
        },
      },
    });

    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors?.map((error) => error.message)).toEqual(['refused']);
  });
});
