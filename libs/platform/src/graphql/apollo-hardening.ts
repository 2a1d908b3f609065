import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Request, Response } from 'express';
import type { CuentaContext } from '../auth/request-context.js';
import { checkCost, limitRules } from './limits.js';
import { asRequestError, type RequestGate } from './request-gate.js';

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
const JSON_MEDIA_TYPE = 'application/json';

/** Errors of the request itself that Apollo answers with 400 whatever the media type. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
]);

/**
 * Whether the answer to a request with this Accept header is `application/json` rather
 * than `application/graphql-response+json`: the choice Apollo makes (the negotiator
 * package's, between the two types in that order), so both agree on the media type.
 */
export function answersApplicationJson(accept: string | null | undefined): boolean {
  if (!accept) return true;
  const ranges = accept.split(',').map((part, order) => {
    const [range, ...parameters] = part.split(';').map((item) => item.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    return { range, q: q === undefined ? 1 : Number(q.slice(2)), order };
  });
  const priority = (type: string) => {
    let best: { s: number; q: number; o: number } | undefined;
    for (const { range, q, order } of ranges) {
      const s =
        range === type ? 2 : range === `${type.split('/')[0]}/*` ? 1 : range === '*/*' ? 0 : -1;
      if (s < 0) continue;
      if (!best || s > best.s || (s === best.s && q > best.q)) best = { s, q, o: order };
    }
    return best && best.q > 0 ? best : undefined;
  };
  const json = priority(JSON_MEDIA_TYPE);
  const graphQLResponse = priority(GRAPHQL_RESPONSE_JSON);
  if (!graphQLResponse) return true;
  if (!json) return false;
  return (
    (json.q - graphQLResponse.q || json.s - graphQLResponse.s || graphQLResponse.o - json.o) >= 0
  );
}

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
        // GraphQL over HTTP: a well-formed request that fails to parse, validate or coerce
        // its variables SHOULD be answered 200 in application/json (whose clients read the
        // body, not the status), and 4xx in application/graphql-response+json.
        async willSendResponse({ request: sent, response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single') return;
          if (!answersApplicationJson(sent.http?.headers.get('accept'))) return;
          const errors = response.body.singleResult.errors ?? [];
          const requestErrors = errors.filter((error) =>
            REQUEST_ERROR_CODES.has(String(error.extensions?.code)),
          );
          if (errors.length > 0 && requestErrors.length === errors.length) {
            response.http.status = 200;
          }
        },
      };
    },
  };
  return {
    introspection: limits.introspection,
    // Apollo's CSRF rule also blocks plain GETs, which the GraphQL over HTTP spec allows;
    // the request gate keeps it for POST (see `refuseCrossSitePost`).
    csrfPrevention: false,
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
