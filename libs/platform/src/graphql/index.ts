export { hardenedApolloOptions } from './apollo-hardening.js';
export { bodyErrorHandler } from './body-errors.js';
export {
  BadRequestError,
  BatchTooLargeError,
  LimitExceededError,
  OperationNotAllowedError,
  QueryTooCostlyError,
  QueryTooDeepError,
  RequestTooLargeError,
  TooManyAliasesError,
  TooManyDirectivesError,
  TooManyTokensError,
} from './graphql.errors.js';
export {
  GraphQLHardeningModule,
  type GraphQLHardeningOptions,
} from './graphql-hardening.module.js';
export { type FormatError } from './graphql-ws.server.js';
export { checkCost, checkTokens, limitRules } from './limits.js';
export { MIN_POSITION_HEADER, minPositionHeader } from './min-position.js';
export { PersistedOperations, sha256Hex } from './persisted-operations.js';
export { CACHE_HEADER, readCachePlugin, type ReadCacheOptions } from './read-cache.js';
export { RequestGate } from './request-gate.js';
export { ResolverErrorsFilter } from './resolver-errors.filter.js';
export * from './events/index.js';
