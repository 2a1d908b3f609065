import { ApolloServer, HeaderMap } from '@apollo/server';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { anonymousIdentity, type Identity } from '../auth/actor.js';
import type { CuentaContext } from '../auth/request-context.js';
import { MIN_POSITION_HEADER } from './min-position.js';
import { CACHE_HEADER, keepOutOfReadCache, readCachePlugin } from './read-cache.js';

const typeDefs = `
  type Query {
    item(id: Int!): Item  items: [Item!]!  secret: String  failing: String
    slow: String  slowFailing: String
  }
  type Mutation { touch: Int }
  type Item { id: Int!  calls: Int!  personal: String }
`;

const anonymous = anonymousIdentity('anon:test');
const steward: Identity = {
  subject: 'staff',
  authenticated: true,
  roles: ['steward'],
  agencies: [],
};

describe('readCachePlugin', () => {
  let version: string;
  let calls: number;
  let failures: number;
  // Slow resolvers wait for this before answering, so that requests overlap.
  let release: () => void;
  let released: Promise<void>;

  function server(maxBytes = 2 ** 20) {
    return new ApolloServer<CuentaContext>({
      typeDefs,
      resolvers: {
        Query: {
          item: (_: unknown, { id }: { id: number }) => ({ id, calls: ++calls }),
          items: () => [{ id: 1, calls: ++calls }],
          secret: () => `secret ${++calls}`,
          failing: () => {
            if (++failures === 1) throw new GraphQLError('not yet');
            return 'now';
          },
          slow: async () => {
            await released;
            return `slow ${++calls}`;
          },
          slowFailing: async () => {
            await released;
            if (++failures === 1) throw new GraphQLError('not yet');
            return 'now';
          },
        },
        Mutation: { touch: () => ++calls },
        Item: {
          personal: (_: unknown, __: unknown, context: object) => {
            keepOutOfReadCache(context);
            return 'a comment';
          },
        },
      },
      plugins: [
        readCachePlugin({
          maxBytes,
          fields: ['item', 'items', 'failing', 'slow', 'slowFailing'],
          version: async () => version,
        }),
      ],
    });
  }

  async function ask(
    apollo: ApolloServer<CuentaContext>,
    query: string,
    identity: Identity = anonymous,
    variables?: Record<string, unknown>,
  ) {
    const response = await apollo.executeOperation(
      { query, variables },
      { contextValue: { identity } },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return {
      data: response.body.singleResult.data,
      errors: response.body.singleResult.errors,
      cache: response.http.headers.get(CACHE_HEADER),
    };
  }

  beforeEach(() => {
    version = '10;commitments@10@t1';
    calls = 0;
    failures = 0;
    released = new Promise((resolve) => (release = resolve));
  });

  it('answers the same anonymous query from memory while the version stays', async () => {
    const apollo = server();
    await apollo.start();
    const first = await ask(apollo, '{ item(id: 1) { id calls } }');
    const second = await ask(apollo, '{ item(id: 1) { id calls } }');

    expect(first).toEqual({
      data: { item: { id: 1, calls: 1 } },
      errors: undefined,
      cache: 'miss',
    });
    expect(second).toEqual({ ...first, cache: 'hit' });
    expect(calls).toBe(1);
    await apollo.stop();
  });

  it('executes again once the log or a read model has moved', async () => {
    const apollo = server();
    await apollo.start();
    await ask(apollo, '{ items { calls } }');
    version = '11;commitments@11@t2';
    const after = await ask(apollo, '{ items { calls } }');

    expect(after).toEqual({ data: { items: [{ calls: 2 }] }, errors: undefined, cache: 'miss' });
    await apollo.stop();
  });

  it('keys answers by their variables', async () => {
    const apollo = server();
    await apollo.start();
    const query = 'query ($id: Int!) { item(id: $id) { id calls } }';
    await ask(apollo, query, anonymous, { id: 1 });
    const other = await ask(apollo, query, anonymous, { id: 2 });
    const again = await ask(apollo, query, anonymous, { id: 1 });

    expect(other.data).toEqual({ item: { id: 2, calls: 2 } });
    expect(again).toMatchObject({ data: { item: { id: 1, calls: 1 } }, cache: 'hit' });
    await apollo.stop();
  });

  it('keys answers by the minimum position a request asks for in its header', async () => {
    const apollo = server();
    await apollo.start();
    const askAfter = async (position: string | undefined) => {
      const headers = new HeaderMap(
        position === undefined ? [] : [[MIN_POSITION_HEADER, position]],
      );
      const response = await apollo.executeOperation(
        {
          query: '{ item(id: 1) { id calls } }',
          http: { method: 'POST', headers, search: '', body: {} },
        },
        { contextValue: { identity: anonymous } },
      );
      return response.http.headers.get(CACHE_HEADER);
    };

    // An answer computed without waiting is not one that waited for position 12.
    expect(await askAfter(undefined)).toBe('miss');
    expect(await askAfter('12')).toBe('miss');
    expect(await askAfter('12')).toBe('hit');
    expect(await askAfter('13')).toBe('miss');
    expect(calls).toBe(3);
    await apollo.stop();
  });

  it('keeps each answer under its own key when concurrent operations share a context value', async () => {
    const apollo = server();
    await apollo.start();
    const query = 'query ($id: Int!) { item(id: $id) { id } }';
    const shared = { identity: anonymous };
    await Promise.all(
      [1, 2].map((id) =>
        apollo.executeOperation({ query, variables: { id } }, { contextValue: shared }),
      ),
    );
    const [one, two] = await Promise.all([
      ask(apollo, query, anonymous, { id: 1 }),
      ask(apollo, query, anonymous, { id: 2 }),
    ]);

    expect(one).toEqual({ data: { item: { id: 1 } }, errors: undefined, cache: 'hit' });
    expect(two).toEqual({ data: { item: { id: 2 } }, errors: undefined, cache: 'hit' });
    await apollo.stop();
  });

  it('always executes for callers with a token', async () => {
    const apollo = server();
    await apollo.start();
    await ask(apollo, '{ items { calls } }');
    const staff = await ask(apollo, '{ items { calls } }', steward);
    const staffAgain = await ask(apollo, '{ items { calls } }', steward);

    expect(staff).toEqual({ data: { items: [{ calls: 2 }] }, errors: undefined, cache: undefined });
    expect(staffAgain.data).toEqual({ items: [{ calls: 3 }] });
    await apollo.stop();
  });

  it('leaves alone operations with a root field not listed, and mutations', async () => {
    const apollo = server();
    await apollo.start();
    await ask(apollo, '{ items { calls } secret }');
    const mixed = await ask(apollo, '{ items { calls } secret }');
    await ask(apollo, 'mutation { touch }');
    const mutation = await ask(apollo, 'mutation { touch }');

    expect(mixed).toEqual({
      data: { items: [{ calls: 3 }], secret: 'secret 4' },
      errors: undefined,
      cache: undefined,
    });
    expect(mutation).toEqual({ data: { touch: 6 }, errors: undefined, cache: undefined });
    await apollo.stop();
  });

  it('does not keep an answer with errors', async () => {
    const apollo = server();
    await apollo.start();
    const failed = await ask(apollo, '{ failing }');
    const retried = await ask(apollo, '{ failing }');
    const cached = await ask(apollo, '{ failing }');

    expect(failed.errors?.[0].message).toBe('not yet');
    expect(retried).toEqual({ data: { failing: 'now' }, errors: undefined, cache: 'miss' });
    expect(cached).toEqual({ ...retried, cache: 'hit' });
    expect(failures).toBe(2);
    await apollo.stop();
  });

  it('does not keep an answer a resolver kept out (a personal value)', async () => {
    const apollo = server();
    await apollo.start();
    await ask(apollo, '{ items { calls personal } }');
    const again = await ask(apollo, '{ items { calls personal } }');
    await ask(apollo, '{ items { calls } }');
    const without = await ask(apollo, '{ items { calls } }');

    expect(again).toEqual({
      data: { items: [{ calls: 2, personal: 'a comment' }] },
      errors: undefined,
      cache: 'miss',
    });
    expect(without.cache).toBe('hit');
    await apollo.stop();
  });

  it('computes a key once for requests that miss on it together', async () => {
    const apollo = server();
    await apollo.start();
    const asked = Promise.all([1, 2, 3].map(() => ask(apollo, '{ slow }')));
    release();
    const answers = await asked;

    expect(calls).toBe(1);
    expect(answers.map((answer) => answer.data)).toEqual([1, 2, 3].map(() => ({ slow: 'slow 1' })));
    expect(answers.map((answer) => answer.cache).sort()).toEqual(['hit', 'hit', 'miss']);
    await apollo.stop();
  });

  it('lets requests that waited compute their own answer when the shared one is not kept', async () => {
    const apollo = server();
    await apollo.start();
    const asked = Promise.all([1, 2].map(() => ask(apollo, '{ slowFailing }')));
    release();
    const [first, second] = await asked;

    expect(first.errors?.[0].message).toBe('not yet');
    expect(second).toEqual({ data: { slowFailing: 'now' }, errors: undefined, cache: 'miss' });
    expect(failures).toBe(2);
    expect(await ask(apollo, '{ slowFailing }')).toMatchObject({ cache: 'hit' });
    await apollo.stop();
  });

  it('does not make requests of another version wait', async () => {
    const apollo = server();
    await apollo.start();
    const before = ask(apollo, '{ slow }');
    await new Promise((resolve) => setImmediate(resolve));
    version = '11;commitments@1';
    const after = ask(apollo, '{ slow }');
    release();

    expect((await before).cache).toBe('miss');
    expect((await after).cache).toBe('miss');
    expect(calls).toBe(2);
    await apollo.stop();
  });

  it('is off with no memory', async () => {
    const apollo = server(0);
    await apollo.start();
    await ask(apollo, '{ items { calls } }');
    const again = await ask(apollo, '{ items { calls } }');

    expect(again).toEqual({ data: { items: [{ calls: 2 }] }, errors: undefined, cache: undefined });
    await apollo.stop();
  });
});
