import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';

/** Any JSON value, for the before and after of a changed field (whose type depends on it). */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
