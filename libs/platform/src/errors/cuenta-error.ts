/**
 * Base of the failures a client may see as they are: each has a stable `code`, and its
 * message is written for the caller. Anything that is not a CuentaError (or the event
 * store's own typed errors) is internal and masked.
 */
export abstract class CuentaError extends Error {
  abstract readonly code: string;
  /** Fields that help the client act on the error, shown under `extensions`. */
  details(): Record<string, unknown> {
    return {};
  }
}
