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
export { MIN_POSITION_HEADER, minPositionHeader, reachRequestedPosition } from './min-position.js';
export { readReplicaPlugin, type ReadReplicaPluginOptions } from './read-replica-plugin.js';
export { PersistedOperations, sha256Hex } from './persisted-operations.js';
export {
  CACHE_HEADER,
  keepOutOfReadCache,
  readCachePlugin,
  type ReadCacheOptions,
} from './read-cache.js';
export { RequestGate } from './request-gate.js';
export { ResolverErrorsFilter } from './resolver-errors.filter.js';
export * from './events/index.js';
export { CommandInput } from './commands/command.input.js';
export { commandRequest } from './commands/command-request.js';
export {
  CommandEventModel,
  CommandResultModel,
  commandResultModel,
} from './commands/command-result.model.js';
export { perRequest, requestLoader } from './loaders/request-loaders.js';
export {
  historyCursor,
  historyVersionOf,
  jsonCursor,
  jsonCursorValue,
} from './pagination/cursors.js';
export { PageInfoModel, pageInfoOf } from './pagination/page-info.model.js';
export { DateTimeScalar, parseInstant } from './scalars/date-time.scalar.js';
export { JSONScalar } from './scalars/json.scalar.js';
export { historyConnectionOf } from './history/history-connection.js';
export {
  FieldChangeModel,
  HistoryConnectionModel,
  HistoryEdgeModel,
  HistoryEntryModel,
} from './history/history.model.js';
