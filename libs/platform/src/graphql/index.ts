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
export {
  RATE_LIMITED_CLOSE_CODE,
  serveGraphQLOverWebSocket,
  type FormatError,
} from './graphql-ws.server.js';
export { checkCost, checkTokens, limitRules, withPageSizes } from './limits.js';
export { PersistedOperations, sha256Hex } from './persisted-operations.js';
export { asRequestError, clientIp, RequestGate } from './request-gate.js';
