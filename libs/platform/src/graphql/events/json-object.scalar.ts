import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';

function plainObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GraphQLError('JSONObject must be an object');
  }
  return value as Record<string, unknown>;
}

/**
 * A JSON object: an event's data, and inputs whose members depend on another input (a
 * correction's fields).
 */
export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object.',
  serialize: plainObject,
  parseValue: plainObject,
  parseLiteral(ast, variables) {
    if (ast.kind !== Kind.OBJECT) throw new GraphQLError('JSONObject must be an object');
    return plainObject(valueFromASTUntyped(ast, variables));
  },
});
