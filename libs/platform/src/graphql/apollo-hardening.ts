import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Request, Response } from 'express';
import type { CuentaContext } from '../auth/request-context.js';
import { checkCost, limitRules } from './limits.js';
import { asRequestError, type RequestGate } from './request-gate.js';

/** Field suggestions name fields; with introspection off they would leak the schema. */
export function hideSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .+\?$/, '');
}

/**
 * The Apollo options that harden the HTTP endpoint; spread them into the GraphQLModule
 * options. The request gate runs as the context function (before parsing); depth,
 * aliases and directives run with validation; cost runs once variables are known.
 */
export function hardenedApolloOptions(gate: RequestGate) {
  const { limits } = gate;
  const plugin: ApolloServerPlugin<CuentaContext> = {
    async requestDidStart({ request }) {
      if (gate.persisted) {
        // The gate admitted this request already; run the listed text for a hash-only request.
        request.query = gate.admitSource(request);
        if (request.extensions) delete request.extensions.persistedQuery;
      }
      return {
        async didResolveOperation({ schema, document, request: resolved }) {
          try {
            checkCost(schema, document, resolved.variables, limits.maxCost);
          } catch (error) {
            throw asRequestError(error);
          }
        },
        async didEncounterErrors({ errors }) {
          if (limits.introspection) return;
          for (const error of errors) error.message = hideSuggestions(error.message);
        },
      };
    },
  };
  return {
    introspection: limits.introspection,
    allowBatchedHttpRequests: true,
    // With an allow-list, automatic persisted queries would let clients register new texts.
    ...(gate.persisted ? { persistedQueries: false as const } : {}),
    validationRules: limitRules(limits),
    // Apollo's default cache-control plugin wraps every field's resolver to collect cache
    // hints; the schema sets none, so it would only add work to every field of every answer.
    plugins: [plugin, ApolloServerPluginCacheControlDisabled()],
    context: ({ req, res }: { req: Request; res: Response }) => gate.httpContext(req, res),
  };
}
