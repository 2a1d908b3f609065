import type { ExpectedVersion } from './event-store.port.js';

export type EventStoreErrorCode =
  | 'VERSION_CONFLICT'
  | 'DUPLICATE_EVENT_ID'
  | 'INVALID_EVENT'
  | 'STORE_CLOSED'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'INVALID_COSIGNATURE'
  | 'DATABASE_UNAVAILABLE';

/** Base of every failure the event store reports; `code` is stable and safe to show clients. */
export abstract class EventStoreError extends Error {
  abstract readonly code: EventStoreErrorCode;
  /** Fields that help the caller act on the error, shown to API clients under `extensions`. */
  details(): Record<string, unknown> {
    return {};
  }
}

/** The stream was not at the version the caller expected. Nothing was written. */
export class VersionConflictError extends EventStoreError {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(
      `version conflict on stream "${stream}": expected ${describeExpected(expected)}, ` +
        `but the stream is at version ${actual}`,
    );
    this.name = 'VersionConflictError';
  }
  override details() {
    return { stream: this.stream, expectedVersion: this.expected, actualVersion: this.actual };
  }
}

/** An event id that is already stored somewhere other than where this append would put it. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly eventId: string,
    readonly storedAt: { stream: string; streamVersion: number; position: number },
  ) {
    super(
      `event id ${eventId} is already stored as version ${storedAt.streamVersion} of stream ` +
        `"${storedAt.stream}" (position ${storedAt.position}); an event id names one event only`,
    );
    this.name = 'DuplicateEventIdError';
  }
  override details() {
    return { eventId: this.eventId };
  }
}

/** The event cannot be stored as given (bad stream name, type, data or metadata). */
export class InvalidEventError extends EventStoreError {
  readonly code = 'INVALID_EVENT';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field} ${rule}`);
    this.name = 'InvalidEventError';
  }
  override details() {
    return { field: this.field, rule: this.rule };
  }
}

export class StoreClosedError extends EventStoreError {
  readonly code = 'STORE_CLOSED';
  constructor() {
    super('the event store is closed');
    this.name = 'StoreClosedError';
  }
}

export function describeExpected(expected: ExpectedVersion): string {
  switch (expected) {
    case 'any':
      return 'any version';
    case 'no_stream':
      return 'no stream';
    case 'stream_exists':
      return 'an existing stream';
    default:
      return `version ${expected}`;
  }
}

/** A log entry or checkpoint that does not exist (yet). */
export class LogEntryNotFoundError extends EventStoreError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly what: string,
    message: string,
  ) {
    super(message);
    this.name = 'LogEntryNotFoundError';
  }
  override details() {
    return { entity: this.what };
  }
}

/** A proof or checkpoint request that cannot be answered as asked. */
export class InvalidLedgerRequestError extends EventStoreError {
  readonly code = 'INVALID_INPUT';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field} ${rule}`);
    this.name = 'InvalidLedgerRequestError';
  }
  override details() {
    return { field: this.field, rule: this.rule };
  }
}

/** A witness cosignature that does not verify against a configured witness key. */
export class CosignatureRejectedError extends EventStoreError {
  readonly code = 'INVALID_COSIGNATURE';
  constructor(readonly reason: string) {
    super(`cosignature rejected: ${reason}`);
    this.name = 'CosignatureRejectedError';
  }
  override details() {
    return { reason: this.reason };
  }
}

/**
 * The database could not be reached (or the connection was lost) for longer than the
 * operation waits. `resume` says where to carry on: for a subscription to the log, the
 * `position` to pass as `from`; for checkpoints, the `size` of the last one delivered.
 */
export class DatabaseUnavailableError extends EventStoreError {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(
    message: string,
    readonly resume: { position?: number; size?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
  override details() {
    return { ...this.resume };
  }
}
