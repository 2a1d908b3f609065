import type { JsonObject, NewEvent } from '#event-store';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import type {
  PersonalDataAuthorization,
  PersonalDataDeclaration,
} from '../personal-data/personal-data.js';
import type { PersonalDataStore, SealResult } from '../personal-data/personal-data.store.js';

/*
 * The command handler's use of the personal-data store (docs/privacy.md): a command's events
 * are sealed BEFORE they are appended (values into the store, placeholders into the events),
 * and a seal whose events were not appended is discarded.
 */

/** What a command request says about the personal data its events carry. */
export interface PersonalDataRequest {
  /** Whose data it is: a subject the store holds. Absent: a new pseudonymous subject. */
  subjectId?: string;
  /** The person's authorization; required when a value is sensitive. */
  authorization?: PersonalDataAuthorization;
}

/**
 * What the author of personal values gets back once: where their values are in the log, the
 * salts that prove each value against its commitment, and (for a new subject) the secret that
 * lets them ask for erasure without an account. Only a hash of the secret is stored, so it
 * cannot be shown again: a replay of the command answers no receipt.
 */
export interface PersonalDataReceipt {
  subjectId: string;
  /** Global position of the first event that holds a personal value. */
  position: number;
  /** Every position and id of the command's events that hold personal values, in order. */
  positions: number[];
  eventIds: string[];
  values: { eventId: string; path: string; salt: string; commitment: string }[];
  /** Only when the command created the subject. */
  secret: string | undefined;
}

/** A seal in progress for one attempt of a command. */
export interface SealedAttempt {
  events: NewEvent[];
  sealed: SealResult | undefined;
}

/**
 * The events to append, their personal members sealed into the store. Nothing is stored when
 * the stream type declares no personal field or the events hold none.
 * @throws SensitiveDataWithoutAuthorizationError, InvalidInputError, SubjectNotFoundError,
 *   SubjectErasedError: nothing was stored
 */
export async function sealEvents(
  store: PersonalDataStore | undefined,
  declaration: PersonalDataDeclaration | undefined,
  events: NewEvent[],
  personal: PersonalDataRequest | undefined,
): Promise<SealedAttempt> {
  if (declaration === undefined || store === undefined) {
    if (personal !== undefined) {
      throw new InvalidInputError('personal', 'this command records no personal data');
    }
    return { events, sealed: undefined };
  }
  if (!events.some((event) => declaration[event.type] !== undefined)) {
    return { events, sealed: undefined };
  }
  const sealed = await store.seal({
    subject: personal?.subjectId ?? 'new',
    events: events.map((event) => ({ id: event.id as string, type: event.type, data: event.data })),
    declaration,
    authorization: personal?.authorization,
  });
  if (sealed.subjectId === undefined) return { events, sealed: undefined };
  return {
    events: events.map((event, i) => ({ ...event, data: sealed.events[i].data as JsonObject })),
    sealed,
  };
}

/** The receipt of a sealed command once its events are in the log. */
export function receiptOf(
  sealed: SealResult,
  appended: { id: string; position: number }[],
): PersonalDataReceipt {
  const holding = appended.filter((event) =>
    sealed.values.some((value) => value.eventId === event.id),
  );
  return {
    subjectId: sealed.subjectId as string,
    position: holding[0].position,
    positions: holding.map((event) => event.position),
    eventIds: holding.map((event) => event.id),
    values: sealed.values.map(({ eventId, path, salt, commitment }) => ({
      eventId,
      path,
      salt,
      commitment,
    })),
    secret: sealed.receiptSecret,
  };
}
