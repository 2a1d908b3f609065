export { CuentaLogger, logLevels } from './cuenta-logger.js';
export {
  chooseRequestId,
  currentRequestId,
  REQUEST_ID_HEADER,
  requestIdMiddleware,
  requestIdOf,
  withRequestId,
} from './request-id.js';
