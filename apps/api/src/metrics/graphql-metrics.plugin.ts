import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Counter, Histogram } from 'prom-client';

/** Error codes are an enum of the API; anything else is counted as OTHER, never as free text. */
const CODE = /^[A-Z][A-Z_]{0,47}$/;

export interface GraphQLMetrics {
  operations: Counter<'operation' | 'outcome'>;
  seconds: Histogram<'operation'>;
}

/**
 * Counts every GraphQL operation by its first root field (a field of the schema's root
 * types, so a bounded set; `other` when it names none) and its outcome (OK, or the first
 * error's code), and times it. Never a label from variables, ids or operation names a
 * client picks.
 */
export function graphqlMetricsPlugin(metrics: GraphQLMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(context) {
          const operation = rootField(context);
          const body = context.response.body;
          const errors =
            body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const code = errors?.[0]?.extensions?.code;
          const outcome =
            errors === undefined || errors.length === 0
              ? 'OK'
              : typeof code === 'string' && CODE.test(code)
                ? code
                : 'OTHER';
          metrics.operations.inc({ operation, outcome });
          metrics.seconds.observe({ operation }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}

function rootField(context: GraphQLRequestContext<object>): string {
  const operation: OperationDefinitionNode | undefined = context.operation;
  const first = operation?.selectionSet.selections[0];
  if (!operation || first?.kind !== Kind.FIELD) return 'other';
  const root = rootType(context.schema, operation.operation);
  const name = first.name.value;
  return root?.getFields()[name] ? name : 'other';
}

function rootType(schema: GraphQLSchema, kind: OperationDefinitionNode['operation']) {
  if (kind === 'query') return schema.getQueryType();
  if (kind === 'mutation') return schema.getMutationType();
  return schema.getSubscriptionType();
}
