import type { EventStore, JsonObject, NewEvent } from '#event-store';
import {
  CuentaError,
  type PersonalDataAuthorization,
  type PersonalDataDeclaration,
  type PersonalDataStore,
  type SealResult,
} from '#platform';

/**
 * Which members of participation's evaluation events are personal (Ley 1581): the citizen's
 * comment, their contact details and their self-declared inclusion groups (sensitive).
 */
export const EVALUATION_PERSONAL_DATA: PersonalDataDeclaration = {
  EvaluationSubmitted: { '/comment': 'comment', '/contact': 'contact', '/groups': 'sensitive' },
};

/** What a write that carries personal data says about whose it is and the consent given. */
export interface PersonalRequest {
  /** A subject the store holds already; absent: a new pseudonymous subject (an anonymous write). */
  subjectId?: string;
  authorization?: PersonalDataAuthorization;
}

/**
 * What the author of personal values gets back: the event's position, each value's salt and
 * commitment, and, for a new subject, the secret that lets them ask for erasure without an
 * account (only its hash is kept).
 */
export interface PersonalDataReceipt {
  position: number;
  eventIds: string[];
  subjectId: string;
  values: { path: string; salt: string; commitment: string }[];
  secret?: string;
}

/** The server keeps no personal-data store, so a write carrying personal data cannot be taken. */
export class PersonalDataUnavailableError extends CuentaError {
  readonly code = 'PERSONAL_DATA_UNAVAILABLE';
  constructor(readonly field: string) {
    super(`${field} is personal data, and this server has no personal-data store configured`);
    this.name = 'PersonalDataUnavailableError';
  }
  override details() {
    return { field: this.field };
  }
}

/**
 * The event store as one command sees it when its events may carry personal values: each
 * append first seals the declared values into the personal-data store (so the log holds only
 * placeholders) and discards them again when the append is refused, conflicts or was a
 * retry. Until the platform's command handler seals on its own, this is where evaluations
 * do it; `receipt` then answers what the author gets back.
 */
export function sealingEventStore(
  store: EventStore,
  personalData: PersonalDataStore | undefined,
  personal: PersonalRequest,
  declaration: PersonalDataDeclaration = EVALUATION_PERSONAL_DATA,
): { store: EventStore; receipt(): PersonalDataReceipt | undefined } {
  let kept: { sealed: SealResult; position: number } | undefined;
  const append: EventStore['append'] = async (stream, events, expected) => {
    if (personalData === undefined) {
      refuseUnsealed(events, declaration);
      return store.append(stream, events, expected);
    }
    const sealed = await personalData.seal({
      subject: personal.subjectId ?? 'new',
      events: events.map(({ id, type, data }) => ({ id: id as string, type, data })),
      declaration,
      authorization: personal.authorization,
    });
    const toAppend: NewEvent[] = events.map((event, i) => ({
      ...event,
      data: sealed.events[i].data as JsonObject,
    }));
    try {
      const result = await store.append(stream, toAppend, expected);
      if (result.replayed) await personalData.discard(sealed);
      else kept = { sealed, position: result.positions[0] };
      return result;
    } catch (error) {
      await personalData.discard(sealed);
      throw error;
    }
  };
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') return append;
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return {
    store: wrapped,
    receipt() {
      if (kept === undefined || kept.sealed.subjectId === undefined) return undefined;
      const { sealed, position } = kept;
      return {
        position,
        eventIds: [...new Set(sealed.values.map((value) => value.eventId))],
        subjectId: sealed.subjectId as string,
        values: sealed.values.map(({ path, salt, commitment }) => ({ path, salt, commitment })),
        ...(sealed.receiptSecret !== undefined ? { secret: sealed.receiptSecret } : {}),
      };
    },
  };
}

function refuseUnsealed(events: NewEvent[], declaration: PersonalDataDeclaration): void {
  for (const event of events) {
    for (const path of Object.keys(declaration[event.type] ?? {})) {
      const member = (event.data as Record<string, unknown>)[path.slice(1)];
      if (member !== undefined && member !== null) {
        throw new PersonalDataUnavailableError(path.slice(1));
      }
    }
  }
}
