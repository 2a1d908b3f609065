import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, print, specifiedRules, validate } from 'graphql';
import { CuentaError } from '../errors/cuenta-error.js';
import { QueryTooCostlyError, TooManyTokensError } from './graphql.errors.js';
import { checkCost, checkTokens, limitRules, withPageSizes } from './limits.js';

const schema = buildSchema(`
  type Node { value: Int, child: Node, children(first: Int = 10, last: Int): [Node!]! }
  type Query { node: Node, nodes(first: Int = 5): [Node!]!, plain(limit: Int): [Node!]! }
`);

const LIMITS = { maxDepth: 3, maxAliases: 2, maxDirectives: 3 };

/** The code and details of each error the limit rules report for `query`. */
function refusals(query: string) {
  return validate(schema, parse(query), [...specifiedRules, ...limitRules(LIMITS)]).map((error) => {
    const typed = error.originalError;
    return typed instanceof CuentaError ? { code: typed.code, ...typed.details() } : error.message;
  });
}

function cost(query: string, variables: Record<string, unknown> = {}, max = 0) {
  try {
    checkCost(schema, parse(query), variables, max);
    return 'within';
  } catch (error) {
    if (error instanceof QueryTooCostlyError) return error.found;
    throw error;
  }
}

describe('limitRules', () => {
  it('passes a query within every limit', () => {
    expect(
      refusals('{ a: node { child { value } } b: node { value @include(if: true) } }'),
    ).toEqual([]);
  });

  it('reports depth beyond the limit as QUERY_TOO_DEEP, as deep as the response through fragments', () => {
    expect(refusals('{ node { child { child { value } } } }')).toEqual([
      { code: 'QUERY_TOO_DEEP', limit: 3, found: 4 },
    ]);
    expect(refusals('{ node { ...f } } fragment f on Node { child { child { value } } }')).toEqual([
      { code: 'QUERY_TOO_DEEP', limit: 3, found: 4 },
    ]);
  });

  it('does not count introspection of the schema as depth', () => {
    expect(refusals('{ __schema { types { fields { type { ofType { name } } } } } }')).toEqual([]);
  });

  it('reports aliases beyond the limit as TOO_MANY_ALIASES, __typename aside', () => {
    expect(refusals('{ a: node { value } b: node { value } c: node { value } }')).toEqual([
      { code: 'TOO_MANY_ALIASES', limit: 2, found: 3 },
    ]);
    expect(refusals('{ t1: __typename t2: __typename t3: __typename }')).toEqual([]);
  });

  it('reports directives beyond the limit as TOO_MANY_DIRECTIVES, on every spread of a fragment', () => {
    const spreads = '...f @skip(if: false) '.repeat(4);
    expect(refusals(`{ node { ${spreads} } } fragment f on Node { value }`)).toEqual([
      { code: 'TOO_MANY_DIRECTIVES', limit: 3, found: 4 },
    ]);
    expect(
      refusals(
        '{ node { ...f ...f } } fragment f on Node { value @skip(if: false) child { value @include(if: true) } }',
      ),
    ).toEqual([{ code: 'TOO_MANY_DIRECTIVES', limit: 3, found: 4 }]);
  });
});

describe('checkCost', () => {
  it('counts 1 per scalar and 2 per object, lists times their page size', () => {
    expect(cost('{ node { value } }')).toBe(3);
    expect(cost('{ nodes(first: 4) { value } }')).toBe(12);
    expect(cost('{ nodes(first: 4) { children(last: 2) { value } } }')).toBe(4 * (2 + 2 * 3));
  });

  it('takes the page size from variables, their defaults, and the schema default', () => {
    const query =
      'query($n: Int, $m: Int = 7) { nodes(first: $n) { children(first: $m) { value } } }';
    expect(cost(query, { n: 100 })).toBe(100 * (2 + 7 * 3));
    expect(cost(query, { n: 100, m: 1 })).toBe(100 * (2 + 1 * 3));
    expect(cost('{ nodes { children { value } } }')).toBe(5 * (2 + 10 * 3));
  });

  it('refuses beyond the limit with QUERY_TOO_COSTLY, its limit and the cost found', () => {
    let error: unknown;
    try {
      checkCost(schema, parse('{ nodes(first: 1000) { value } }'), {}, 500);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryTooCostlyError);
    expect((error as QueryTooCostlyError).details()).toEqual({ limit: 500, found: 3000 });
    expect((error as QueryTooCostlyError).code).toBe('QUERY_TOO_COSTLY');
  });

  it('gives the same cost on every check of an operation with fragments (no state kept between checks)', () => {
    const query = '{ nodes(first: 4) { ...f } } fragment f on Node { value children { value } }';
    const first = cost(query);
    expect(typeof first).toBe('number');
    expect(cost(query)).toBe(first);
    expect(cost(query)).toBe(first);
  });

  it('checks a parsed document again for each new page size it is given', () => {
    const document = parse('query($n: Int) { nodes(first: $n) { value } }');

    expect(() => checkCost(schema, document, { n: 10 }, 500)).not.toThrow();
    expect(() => checkCost(schema, document, { n: 10 }, 500)).not.toThrow();
    expect(() => checkCost(schema, document, { n: 1000 }, 500)).toThrow(QueryTooCostlyError);
    expect(() => checkCost(schema, document, { n: 10 }, 20)).toThrow(QueryTooCostlyError);
    expect(() => checkCost(schema, document, { n: 10 }, 500)).not.toThrow();
  });

  it('leaves non-integer page sizes and other arguments alone', () => {
    const document = parse(
      'query($n: Int) { nodes(first: $n) { value } plain(limit: 50) { value } }',
    );
    expect(print(withPageSizes(schema, document, { n: 'many' }))).toBe(
      print(parse('query($n: Int) { nodes(first: $n) { value } plain(limit: 50) { value } }')),
    );
    expect(print(withPageSizes(schema, document, { n: 3 }))).toContain('nodes(first: 3)');
  });
});

describe('checkTokens', () => {
  it('passes up to the limit and refuses beyond it with TOO_MANY_TOKENS', () => {
    expect(() => checkTokens('{ node { value } }', 6)).not.toThrow();
    expect(() => checkTokens('{ node { value } }', 5)).toThrow(TooManyTokensError);
  });

  it('holds a text to each limit it is checked against, whatever was checked before', () => {
    const text = '{ nodes { value children { value } } }';
    expect(() => checkTokens(text, 3)).toThrow(TooManyTokensError);
    expect(() => checkTokens(text, 100)).not.toThrow();
    expect(() => checkTokens(text, 10)).not.toThrow();
    expect(() => checkTokens(text, 9)).toThrow(TooManyTokensError);
  });

  it('does not count comments, and leaves syntax errors to the parser', () => {
    expect(() => checkTokens('# a long comment\n{ node }', 3)).not.toThrow();
    expect(() => checkTokens('{ node "unterminated', 3)).not.toThrow();
  });
});
