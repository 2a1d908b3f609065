import type { EventStore, RecordedEvent } from '#event-store';
import { commandEventId } from '../commands/event-ids.js';
import type { ErasureResult, PersonalDataStore } from './personal-data.store.js';

/** The stream where a subject's erasure is recorded. */
export function erasureStream(subjectId: string): string {
  return `personal-data-${subjectId}`;
}

export const PERSONAL_DATA_ERASED = 'PersonalDataErased';

/**
 * Who asked for an erasure: the holder of the receipt (the person, without an account), or an
 * administrator acting on a written request, whose reason is recorded.
 */
export type ErasureRequest =
  | { by: 'subject'; receiptSecret: string }
  | { by: 'administrator'; subjectId: string; reason: string; administrator: string };

/** What an erasure answers: nothing personal. */
export interface RecordedErasure {
  subjectId: string;
  erasedAt: Date;
  /** True when the subject had been erased before: nothing changed now. */
  alreadyErased: boolean;
  /** Global position of the PersonalDataErased event. */
  position: number;
}

/**
 * Erases a subject's personal values and key in the store, then records PersonalDataErased in
 * the stream `personal-data-<subjectId>`. The event holds the subject id, when, by whom (the
 * role, never a name) and the references erased; no value, no salt. The event's id depends on
 * the subject only, so a second erasure, or a retry after a crash between the two steps,
 * records it once. The administrator's reason goes into the event's metadata.
 * @throws ReceiptNotFoundError, SubjectNotFoundError, InvalidInputError: nothing changed
 */
export async function eraseAndRecord(
  store: PersonalDataStore,
  events: EventStore,
  request: ErasureRequest,
): Promise<RecordedErasure> {
  const result =
    request.by === 'subject'
      ? await store.eraseByReceipt(request.receiptSecret)
      : await store.erase(
          request.subjectId,
          `administrator:${request.administrator}`,
          request.reason,
        );
  const stream = erasureStream(result.subjectId);
  const recorded = await erasureEventOf(events, stream);
  if (recorded !== undefined) return answer(result, recorded.position);
  const appended = await events.append(
    stream,
    [
      {
        id: commandEventId(`erase-${result.subjectId}`, PERSONAL_DATA_ERASED, 0),
        type: PERSONAL_DATA_ERASED,
        data: {
          subjectId: result.subjectId,
          erasedAt: result.erasedAt.toISOString(),
          erasedBy: request.by,
          values: result.values.map(({ ref, eventId, path, kind }) => ({
            ref,
            eventId,
            path,
            kind,
          })),
        },
        metadata: {
          actor:
            request.by === 'subject'
              ? { subject: 'receipt-holder', role: 'anonymous' }
              : { subject: request.administrator, role: 'administrator' },
          ...(request.by === 'administrator' ? { reason: request.reason } : {}),
        },
      },
    ],
    'any',
  );
  return answer(result, appended.positions[0]);
}

async function erasureEventOf(
  events: EventStore,
  stream: string,
): Promise<RecordedEvent | undefined> {
  const recorded = await events.readStream(stream);
  return recorded.find((event) => event.type === PERSONAL_DATA_ERASED);
}

function answer(result: ErasureResult, position: number): RecordedErasure {
  return {
    subjectId: result.subjectId,
    erasedAt: result.erasedAt,
    alreadyErased: result.alreadyErased,
    position,
  };
}
