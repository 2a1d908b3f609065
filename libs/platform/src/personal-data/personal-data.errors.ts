import { CuentaError } from '../errors/cuenta-error.js';

/*
 * Every message here names a field, a subject id or a reference, never a personal value:
 * messages reach clients and the server's log.
 */

/** A write holds a sensitive value (Ley 1581, art. 5) but no explicit authorization. */
export class SensitiveDataWithoutAuthorizationError extends CuentaError {
  readonly code = 'SENSITIVE_DATA_WITHOUT_AUTHORIZATION';
  constructor(readonly field: string) {
    super(
      `${field} is sensitive personal data: it needs the person's explicit authorization ` +
        '(purpose, noticeHash, givenAt), and none was given',
    );
    this.name = 'SensitiveDataWithoutAuthorizationError';
  }
  override details() {
    return { field: this.field };
  }
}

/** No personal-data subject has this id. */
export class SubjectNotFoundError extends CuentaError {
  readonly code = 'SUBJECT_NOT_FOUND';
  constructor(readonly subjectId: string) {
    super(`no personal data subject has the id ${subjectId}`);
    this.name = 'SubjectNotFoundError';
  }
  override details() {
    return { subjectId: this.subjectId };
  }
}

/** The subject's data was erased: nothing new can be recorded under its id. */
export class SubjectErasedError extends CuentaError {
  readonly code = 'SUBJECT_ERASED';
  constructor(
    readonly subjectId: string,
    readonly erasedAt: Date,
  ) {
    super(
      `the personal data of subject ${subjectId} was erased on ${erasedAt.toISOString()}; ` +
        'new personal data needs a new subject',
    );
    this.name = 'SubjectErasedError';
  }
  override details() {
    return { subjectId: this.subjectId, erasedAt: this.erasedAt.toISOString() };
  }
}

/** No subject was given a receipt with this secret. */
export class ReceiptNotFoundError extends CuentaError {
  readonly code = 'RECEIPT_NOT_FOUND';
  constructor() {
    super('no personal data was recorded with this receipt');
    this.name = 'ReceiptNotFoundError';
  }
}

/**
 * A reference in an event names a personal value the store does not hold, though its subject
 * was not erased, or the stored value no longer matches the event's commitment. Either means
 * the store and the log disagree (a partial restore, a tampered row): an operator's matter.
 */
export class PersonalValueUnavailableError extends Error {
  readonly code = 'PERSONAL_VALUE_UNAVAILABLE';
  constructor(
    readonly ref: string,
    readonly reason: 'missing' | 'commitment_mismatch' | 'undecryptable',
  ) {
    super(`personal value ${ref} cannot be shown: ${reason.replace('_', ' ')}`);
    this.name = 'PersonalValueUnavailableError';
  }
}

/** The key-encryption key's file cannot be used as it is: the message says what to do. */
export class PersonalDataKeyError extends Error {
  readonly code = 'PERSONAL_DATA_KEY_UNUSABLE';
  constructor(message: string) {
    super(message);
    this.name = 'PersonalDataKeyError';
  }
}
