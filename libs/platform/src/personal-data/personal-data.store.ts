import { createHash, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { checkOut } from '#event-store';
import type pg from 'pg';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import {
  decryptValue,
  encryptValue,
  kekId,
  newDataKey,
  unwrapDataKey,
  wrapDataKey,
} from './personal-data-cipher.js';
import {
  PersonalDataKeyError,
  PersonalValueUnavailableError,
  ReceiptNotFoundError,
  SubjectErasedError,
  SubjectNotFoundError,
} from './personal-data.errors.js';
import {
  personalCommitment,
  sealEventData,
  type PersonalDataAuthorization,
  type PersonalDataDeclaration,
  type PersonalKind,
  type PersonalPlaceholder,
  type PersonalRandom,
  type PersonalValue,
} from './personal-data.js';

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

/** A connection inside a transaction the caller opened and will commit (`pg.PoolClient`). */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** An event about to be appended, with the id it will be appended under. */
export interface EventToSeal {
  id: string;
  type: string;
  data: JsonObject;
}

export interface SealRequest {
  /**
   * Whose data it is: the id of a subject the store already holds, or `new` for a new
   * pseudonymous subject (an anonymous write), which gets a receipt secret.
   */
  subject: string | 'new';
  events: readonly EventToSeal[];
  declaration: PersonalDataDeclaration;
  /** Required when any value is `sensitive`; recorded beside every value. */
  authorization?: PersonalDataAuthorization;
}

/** What the author's receipt needs of one value: where it is and how to check it. */
export interface SealedValue {
  ref: string;
  eventId: string;
  path: string;
  kind: PersonalKind;
  /** The 32-byte salt, base64url. */
  salt: string;
  commitment: string;
}

export interface SealResult {
  /** The events to append, in order, their personal members replaced by placeholders. */
  events: EventToSeal[];
  /** Undefined when the events hold no personal value (nothing was stored). */
  subjectId: string | undefined;
  /** Only for a new subject: the receipt's secret, shown once; only its hash is kept. */
  receiptSecret: string | undefined;
  values: SealedValue[];
}

/** A placeholder's reference, as `reveal` takes it (the `personal` member of a placeholder). */
export type PersonalRef = PersonalPlaceholder['personal'];

export type RevealedValue =
  | {
      erased: false;
      ref: string;
      subjectId: string;
      kind: PersonalKind;
      value: JsonValue;
      /** Base64url; with the value it proves the event's commitment. */
      salt: string;
    }
  | { erased: true; ref: string; subjectId: string; erasedAt: Date };

export interface ErasureResult {
  subjectId: string;
  erasedAt: Date;
  erasedBy: string;
  /** True when the subject had been erased before: nothing changed. */
  alreadyErased: boolean;
  /** The values this call deleted (none when already erased): none of them is personal. */
  values: { ref: string; eventId: string; path: string; kind: PersonalKind }[];
}

export interface PersonalDataStoreOptions {
  pool: pg.Pool;
  /** The key-encryption key (see loadOrCreatePersonalDataKey). */
  kek: Uint8Array;
  /** Salts and value ids; tests pin them. */
  random?: PersonalRandom;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RECEIPT_SECRET = /^[A-Za-z0-9_-]{43}$/;
const MAX_REASON = 2000;
/** Who `erased_by` names when the holder of a receipt asked for the erasure. */
export const RECEIPT_HOLDER = 'receipt-holder';

interface SubjectRow {
  subject_id: string;
  kek_id: string | null;
  wrapped_key: Buffer | null;
  erased_at: Date | null;
}

/**
 * Personal values beside the log (docs/privacy.md): encrypted per subject, revealed to those
 * allowed, erased on request. No method logs, and no error message quotes, a value.
 *
 * `seal` runs BEFORE the append, in a transaction of its own or one the caller gives: the
 * event store's sequencer commits many callers' appends in one transaction on its own
 * connection, so the values cannot join the append's transaction. A refused append leaves
 * values that no event references: the caller then passes the result to `discard`, and
 * `sweepUnreferenced` removes what a process that died in between left behind. Sealing first
 * also means the log never holds a reference to a value the store lacks.
 */
export class PersonalDataStore {
  private readonly pool: pg.Pool;
  private readonly kek: Buffer;
  private readonly kekId: string;
  private readonly random: PersonalRandom | undefined;
  private readonly fingerprintKey: Buffer;

  constructor(options: PersonalDataStoreOptions) {
    this.pool = options.pool;
    this.kek = Buffer.from(options.kek);
    this.kekId = kekId(this.kek);
    this.random = options.random;
    this.fingerprintKey = Buffer.from(
      hkdfSync('sha256', this.kek, Buffer.alloc(0), 'cuenta command fingerprint', 32),
    );
  }

  /**
   * A keyed fingerprint (HMAC-SHA-256 under a key derived from the KEK) of a command's
   * canonical text, for commands that carry personal values: their event ids are derived from
   * the fingerprint and are public, so a plain hash would let anyone guess a low-entropy value
   * (a group) back from an event id. Every replica with the same KEK computes the same one, so
   * retries still find their events.
   */
  keyedFingerprint(canonicalText: string): string {
    return createHmac('sha256', this.fingerprintKey).update(canonicalText, 'utf8').digest('hex');
  }

  /**
   * Takes the personal values out of `events` (as `declaration` lists them), encrypts them
   * into the store under the subject, and returns the events to append, which hold only
   * placeholders. Refuses, storing nothing: a sensitive value without authorization
   * (SensitiveDataWithoutAuthorizationError), an unknown subject (SubjectNotFoundError), an
   * erased one (SubjectErasedError).
   */
  async seal(request: SealRequest, transaction?: Queryable): Promise<SealResult> {
    const isNew = request.subject === 'new';
    const subjectId = isNew ? undefined : checkSubjectId(request.subject);
    // Decided before any I/O: the placeholders need the subject id, so a new one is drawn now.
    const newId = isNew ? (this.random?.id() ?? randomUUID()) : undefined;
    const owner = subjectId ?? (newId as string);
    request.events.forEach((event, i) => {
      if (typeof event.id !== 'string' || !UUID.test(event.id)) {
        throw new InvalidInputError(`events[${i}].id`, 'must be a lower-case UUID');
      }
    });
    const values: PersonalValue[] = [];
    const events = request.events.map((event) => {
      const sealed = sealEventData({
        eventId: event.id,
        eventType: event.type,
        data: event.data,
        declaration: request.declaration,
        subjectId: owner,
        authorization: request.authorization,
        random: this.random,
      });
      values.push(...sealed.values);
      return { ...event, data: sealed.data };
    });
    if (values.length === 0) {
      return {
        events: [...request.events],
        subjectId: undefined,
        receiptSecret: undefined,
        values: [],
      };
    }
    const receiptSecret = isNew ? randomBytes(32).toString('base64url') : undefined;
    await this.inTransaction(transaction, async (client) => {
      const dataKey = isNew
        ? await this.createSubject(client, owner, receiptSecret as string)
        : await this.subjectKeyForWriting(client, owner);
      try {
        await insertValues(client, owner, dataKey, values);
      } finally {
        dataKey.fill(0);
      }
    });
    return {
      events,
      subjectId: owner,
      receiptSecret,
      values: values.map(({ ref, eventId, path, kind, salt, commitment }) => ({
        ref,
        eventId,
        path,
        kind,
        salt: Buffer.from(salt).toString('base64url'),
        commitment,
      })),
    };
  }

  /**
   * Undoes a `seal` whose events were not appended (a refused append, or a retry the event
   * store answered with the first attempt's events): deletes its values, and its subject when
   * the seal created it. Harmless when repeated.
   */
  async discard(sealed: SealResult): Promise<void> {
    if (sealed.subjectId === undefined) return;
    await this.inTransaction(undefined, async (client) => {
      await client.query('DELETE FROM personal.personal_values WHERE value_id = ANY($1::uuid[])', [
        sealed.values.map((value) => value.ref),
      ]);
      if (sealed.receiptSecret !== undefined) {
        await client.query(
          `DELETE FROM personal.subjects s WHERE subject_id = $1 AND erased_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM personal.personal_values v WHERE v.subject_id = s.subject_id)`,
          [sealed.subjectId],
        );
      }
    });
  }

  /**
   * Deletes values sealed more than `olderThanMs` ago that no event of the log references
   * (their append failed and the process died before `discard`), then subjects left without
   * values that were never erased. Returns how many values it deleted.
   */
  async sweepUnreferenced(olderThanMs: number): Promise<number> {
    return this.inTransaction(undefined, async (client) => {
      // A value id is a random UUID: its text in an event's data is a reference to it.
      const deleted = await client.query(
        `DELETE FROM personal.personal_values v
          WHERE v.created_at < now() - $1 * interval '1 millisecond'
            AND NOT EXISTS (SELECT 1 FROM events.events e
                             WHERE e.event_id = v.event_id
                               AND strpos(e.data::text, v.value_id::text) > 0)`,
        [olderThanMs],
      );
      await client.query(
        `DELETE FROM personal.subjects s
          WHERE s.erased_at IS NULL AND s.created_at < now() - $1 * interval '1 millisecond'
            AND NOT EXISTS (SELECT 1 FROM personal.personal_values v WHERE v.subject_id = s.subject_id)`,
        [olderThanMs],
      );
      return deleted.rowCount ?? 0;
    });
  }

  /**
   * The values behind placeholders, in the order asked (a DataLoader batch function): each the
   * value with its kind and salt, checked against the placeholder's commitment, or
   * `{ erased: true, erasedAt }` for an erased subject, or an Error for a reference the store
   * cannot answer (PersonalValueUnavailableError, PersonalDataKeyError): never a guess.
   */
  async reveal(refs: readonly PersonalRef[]): Promise<(RevealedValue | Error)[]> {
    if (refs.length === 0) return [];
    const valid = refs.map((ref) => UUID.test(ref.subject) && UUID.test(ref.ref));
    const { rows } = await this.pool.query<
      SubjectRow & {
        ref: string;
        event_id: string | null;
        path: string | null;
        kind: PersonalKind | null;
        ciphertext: Buffer | null;
        iv: Buffer | null;
        tag: Buffer | null;
      }
    >(
      `SELECT r.ref, s.subject_id, s.kek_id, s.wrapped_key, s.erased_at,
              v.event_id, v.path, v.kind, v.ciphertext, v.iv, v.tag
         FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(subject, ref, n)
         LEFT JOIN personal.subjects s ON s.subject_id = r.subject
         LEFT JOIN personal.personal_values v ON v.value_id = r.ref AND v.subject_id = r.subject
        ORDER BY r.n`,
      [
        refs.map((ref, i) => (valid[i] ? ref.subject : null)),
        refs.map((ref, i) => (valid[i] ? ref.ref : null)),
      ],
    );
    const keys = new Map<string, Buffer | Error>();
    const answers = rows.map((row, i): RevealedValue | Error => {
      const asked = refs[i];
      if (row.subject_id === null) return new PersonalValueUnavailableError(asked.ref, 'missing');
      if (row.erased_at !== null) {
        return { erased: true, ref: asked.ref, subjectId: row.subject_id, erasedAt: row.erased_at };
      }
      if (row.ciphertext === null || row.iv === null || row.tag === null || row.kind === null) {
        return new PersonalValueUnavailableError(asked.ref, 'missing');
      }
      let key = keys.get(row.subject_id);
      if (key === undefined) {
        key = this.unwrapOrError(row);
        keys.set(row.subject_id, key);
      }
      if (key instanceof Error) return key;
      let opened;
      try {
        opened = decryptValue(
          key,
          {
            subjectId: row.subject_id,
            valueId: asked.ref,
            eventId: row.event_id as string,
            path: row.path as string,
            kind: row.kind,
          },
          { ciphertext: row.ciphertext, iv: row.iv, tag: row.tag },
        );
      } catch {
        return new PersonalValueUnavailableError(asked.ref, 'undecryptable');
      }
      if (personalCommitment(opened.value, opened.salt) !== asked.commitment) {
        return new PersonalValueUnavailableError(asked.ref, 'commitment_mismatch');
      }
      return {
        erased: false,
        ref: asked.ref,
        subjectId: row.subject_id,
        kind: row.kind,
        value: opened.value,
        salt: opened.salt.toString('base64url'),
      };
    });
    for (const key of keys.values()) if (Buffer.isBuffer(key)) key.fill(0);
    return answers;
  }

  /**
   * Erases a subject's personal data in one transaction: deletes its values and its wrapped
   * data key, and records when, by whom and why. The rows' bytes stay in the table files
   * until VACUUM reclaims them, and in backups and WAL archives until they expire (see
   * docs/privacy.md). Erasing an erased subject changes nothing and answers as the first time
   * did (`alreadyErased`); an unknown one is SubjectNotFoundError.
   * @param by who erases: an administrator's subject, or RECEIPT_HOLDER.
   * @param reason why, e.g. the reference of the written request; never the person's name.
   */
  async erase(subjectId: string, by: string, reason: string): Promise<ErasureResult> {
    const id = checkSubjectId(subjectId);
    if (typeof by !== 'string' || by.trim() === '') {
      throw new InvalidInputError('erasedBy', 'must name who erases');
    }
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON) {
      throw new InvalidInputError(
        'reason',
        `must be a non-empty text of at most ${MAX_REASON} characters`,
      );
    }
    return this.inTransaction(undefined, async (client) => {
      const { rows } = await client.query<{ erased_at: Date | null; erased_by: string | null }>(
        'SELECT erased_at, erased_by FROM personal.subjects WHERE subject_id = $1 FOR UPDATE',
        [id],
      );
      if (rows.length === 0) throw new SubjectNotFoundError(id);
      const [subject] = rows;
      if (subject.erased_at !== null) {
        return {
          subjectId: id,
          erasedAt: subject.erased_at,
          erasedBy: subject.erased_by as string,
          alreadyErased: true,
          values: [],
        };
      }
      const deleted = await client.query<{
        value_id: string;
        event_id: string;
        path: string;
        kind: PersonalKind;
      }>(
        `DELETE FROM personal.personal_values WHERE subject_id = $1
          RETURNING value_id, event_id, path, kind`,
        [id],
      );
      const updated = await client.query<{ erased_at: Date }>(
        `UPDATE personal.subjects
            SET wrapped_key = NULL, kek_id = NULL, erased_at = now(), erased_by = $2,
                erasure_reason = $3
          WHERE subject_id = $1
          RETURNING erased_at`,
        [id, by, reason],
      );
      return {
        subjectId: id,
        erasedAt: updated.rows[0].erased_at,
        erasedBy: by,
        alreadyErased: false,
        values: deleted.rows.map((row) => ({
          ref: row.value_id,
          eventId: row.event_id,
          path: row.path,
          kind: row.kind,
        })),
      };
    });
  }

  /**
   * Erases the subject whose receipt holds `secret`: anyone holding the receipt may. An
   * unknown secret is ReceiptNotFoundError; one of an erased subject answers `alreadyErased`.
   */
  async eraseByReceipt(secret: string): Promise<ErasureResult> {
    if (typeof secret !== 'string' || !RECEIPT_SECRET.test(secret)) {
      throw new InvalidInputError(
        'receipt',
        "must be the receipt's secret: 43 base64url characters",
      );
    }
    const { rows } = await this.pool.query<{ subject_id: string }>(
      'SELECT subject_id FROM personal.subjects WHERE receipt_secret_hash = $1',
      [receiptHash(secret)],
    );
    if (rows.length === 0) throw new ReceiptNotFoundError();
    return this.erase(rows[0].subject_id, RECEIPT_HOLDER, 'requested by the holder of the receipt');
  }

  private async createSubject(
    client: Queryable,
    subjectId: string,
    secret: string,
  ): Promise<Buffer> {
    const dataKey = newDataKey();
    await client.query(
      `INSERT INTO personal.subjects (subject_id, kek_id, wrapped_key, receipt_secret_hash)
       VALUES ($1, $2, $3, $4)`,
      [subjectId, this.kekId, wrapDataKey(this.kek, subjectId, dataKey), receiptHash(secret)],
    );
    return dataKey;
  }

  /** The subject's data key, its row locked against an erasure until the values are in. */
  private async subjectKeyForWriting(client: Queryable, subjectId: string): Promise<Buffer> {
    const { rows } = await client.query<SubjectRow>(
      `SELECT subject_id, kek_id, wrapped_key, erased_at FROM personal.subjects
        WHERE subject_id = $1 FOR SHARE`,
      [subjectId],
    );
    if (rows.length === 0) throw new SubjectNotFoundError(subjectId);
    const [row] = rows;
    if (row.erased_at !== null) throw new SubjectErasedError(subjectId, row.erased_at);
    const key = this.unwrapOrError(row);
    if (key instanceof Error) throw key;
    return key;
  }

  private unwrapOrError(row: SubjectRow): Buffer | Error {
    if (row.kek_id !== this.kekId) {
      return new PersonalDataKeyError(
        `the data key of subject ${row.subject_id} was wrapped by key-encryption key ` +
          `${row.kek_id}, but the configured key file holds ${this.kekId}: ` +
          'point CUENTA_PERSONAL_DATA_KEY_FILE at the key this database was written with',
      );
    }
    try {
      return unwrapDataKey(this.kek, row.subject_id, row.wrapped_key as Buffer);
    } catch {
      return new PersonalDataKeyError(
        `the wrapped data key of subject ${row.subject_id} does not open with the configured ` +
          'key-encryption key: the row was altered',
      );
    }
  }

  private async inTransaction<T>(
    transaction: Queryable | undefined,
    work: (client: Queryable) => Promise<T>,
  ): Promise<T> {
    if (transaction) return work(transaction);
    // Held with an 'error' listener (see checkOut): a connection terminated between two
    // statements fails the work instead of ending the process, and goes back as broken.
    const held = await checkOut(this.pool);
    const { client } = held;
    let failure: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      held.release(failure);
    }
  }
}

/** SHA-256 of a receipt's secret (its UTF-8 text): all the store keeps of it. */
export function receiptHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function checkSubjectId(subjectId: string): string {
  if (typeof subjectId !== 'string' || !UUID.test(subjectId)) {
    throw new InvalidInputError('subjectId', 'must be a subject id (a lower-case UUID)');
  }
  return subjectId;
}

async function insertValues(
  client: Queryable,
  subjectId: string,
  dataKey: Buffer,
  values: PersonalValue[],
): Promise<void> {
  const sealed = values.map((value) =>
    encryptValue(
      dataKey,
      { subjectId, valueId: value.ref, eventId: value.eventId, path: value.path, kind: value.kind },
      value.value,
      value.salt,
    ),
  );
  await client.query(
    `INSERT INTO personal.personal_values
       (value_id, subject_id, event_id, path, kind, ciphertext, iv, tag)
     SELECT v.value_id, $1, v.event_id, v.path, v.kind, v.ciphertext, v.iv, v.tag
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::bytea[], $7::bytea[],
                   $8::bytea[]) AS v(value_id, event_id, path, kind, ciphertext, iv, tag)`,
    [
      subjectId,
      values.map((value) => value.ref),
      values.map((value) => value.eventId),
      values.map((value) => value.path),
      values.map((value) => value.kind),
      sealed.map((bytes) => bytes.ciphertext),
      sealed.map((bytes) => bytes.iv),
      sealed.map((bytes) => bytes.tag),
    ],
  );
}
