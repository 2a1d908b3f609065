import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresEventStore, type JsonObject } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import {
  PersonalDataKeyError,
  PersonalValueUnavailableError,
  ReceiptNotFoundError,
  SensitiveDataWithoutAuthorizationError,
  SubjectErasedError,
  SubjectNotFoundError,
} from './personal-data.errors.js';
import {
  verifyPersonalValue,
  type PersonalDataDeclaration,
  type PersonalPlaceholder,
} from './personal-data.js';
import {
  PersonalDataStore,
  RECEIPT_HOLDER,
  type PersonalRef,
  type SealResult,
} from './personal-data.store.js';

const run = promisify(execFile);

const declaration: PersonalDataDeclaration = {
  CommentPosted: { '/comment': 'comment', '/contact': 'contact', '/groups': 'sensitive' },
};
const authorization = {
  purpose: 'answer the citizen about this commitment',
  noticeHash: `sha256:${'c0'.repeat(32)}`,
  givenAt: '2026-12-01T10:00:00.000Z',
};
const actor = { subject: 'anonymous:test', role: 'citizen' };

/** A marker no table could hold by chance: found in a dump only if the value leaked. */
const marker = (label: string) => `MARKER-${label}-${randomBytes(6).toString('hex')}`;

describe('PersonalDataStore', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let events: PostgresEventStore;
  let store: PersonalDataStore;
  const kek = randomBytes(32);

  /** The whole database as pg_dump writes it. */
  const dump = async () =>
    (await run('pg_dump', ['--no-owner', database.url], { maxBuffer: 256 * 2 ** 20 })).stdout;

  /** Whether `text` is in the dump as text, or as the hex pg_dump writes bytea in. */
  const dumped = (all: string, text: string) =>
    all.includes(text) || all.includes(Buffer.from(text, 'utf8').toString('hex'));

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number(
      (await pool.query(`SELECT count(*) AS n FROM personal.${table} WHERE ${where}`, params))
        .rows[0].n,
    );

  /** Seals a comment by a new subject and appends its event, as a command would. */
  const write = async (data: JsonObject, withAuthorization = true) => {
    const sealed = await store.seal({
      subject: 'new',
      events: [{ id: randomUUID(), type: 'CommentPosted', data }],
      declaration,
      ...(withAuthorization ? { authorization } : {}),
    });
    const [event] = sealed.events;
    const appended = await events.append(
      `thread-${randomUUID()}`,
      [{ id: event.id, type: event.type, data: event.data, metadata: { actor } }],
      'no_stream',
    );
    return { sealed, position: appended.positions[0], eventId: event.id };
  };

  /** The placeholders of the event at `position`, as the log holds them. */
  const placeholdersAt = async (position: number): Promise<Record<string, PersonalRef>> => {
    const [recorded] = await events.readAll({ from: position, limit: 1 });
    return Object.fromEntries(
      Object.entries(recorded.data)
        .filter(([, value]) => typeof value === 'object' && value !== null && 'personal' in value)
        .map(([name, value]) => [name, (value as unknown as PersonalPlaceholder).personal]),
    );
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    events = await PostgresEventStore.open({ connectionString: database.url });
    store = new PersonalDataStore({ pool, kek });
  });

  afterAll(async () => {
    await events.close();
    await pool.end();
    await database.drop();
  });

  it('keeps the values out of the log and gives them back to a reader, with their salts', async () => {
    const comment = marker('comment');
    const phone = marker('phone');
    const { sealed, position } = await write({
      title: 'Vía a Turbaco',
      comment,
      contact: { phone },
      groups: ['afrodescendiente'],
    });
    expect(sealed.subjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sealed.receiptSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const placeholders = await placeholdersAt(position);
    expect(Object.keys(placeholders).sort()).toEqual(['comment', 'contact', 'groups']);
    expect(placeholders.groups.authorization).toEqual(authorization);

    const revealed = await store.reveal([placeholders.groups, placeholders.comment]);
    expect(revealed).toEqual([
      {
        erased: false,
        ref: placeholders.groups.ref,
        subjectId: sealed.subjectId,
        kind: 'sensitive',
        value: ['afrodescendiente'],
        salt: sealed.values.find((value) => value.path === '/groups')?.salt,
      },
      {
        erased: false,
        ref: placeholders.comment.ref,
        subjectId: sealed.subjectId,
        kind: 'comment',
        value: comment,
        salt: sealed.values.find((value) => value.path === '/comment')?.salt,
      },
    ]);
    // The author, with the salt from their receipt, proves the log's commitment.
    const receiptSalt = sealed.values.find((value) => value.path === '/contact')?.salt as string;
    expect(verifyPersonalValue({ phone }, receiptSalt, placeholders.contact.commitment)).toBe(true);
    expect(
      verifyPersonalValue({ phone: 'other' }, receiptSalt, placeholders.contact.commitment),
    ).toBe(false);
  });

  it('holds no value in plain text anywhere in the database', async () => {
    // The search can fail: a value stored in clear, as text or as bytea, is found.
    const control = marker('control');
    await pool.query('CREATE TABLE public.search_control (t text, b bytea)');
    await pool.query('INSERT INTO public.search_control VALUES ($1, $2)', [
      control,
      Buffer.from(`${control}-bytes`, 'utf8'),
    ]);
    const comment = marker('comment');
    const email = marker('email');
    const group = marker('group');
    const { sealed } = await write({ comment, contact: { email }, groups: [group] });
    const all = await dump();
    expect(dumped(all, control)).toBe(true);
    expect(dumped(all, `${control}-bytes`)).toBe(true);
    expect(all).toContain(sealed.values[0].commitment.slice('sha256:'.length));
    expect(all).toContain(sealed.subjectId);
    for (const value of [comment, email, group]) expect(dumped(all, value)).toBe(false);
    // No receipt secret or unwrapped key either: only the secret's hash is kept.
    expect(dumped(all, sealed.receiptSecret as string)).toBe(false);
    await pool.query('DROP TABLE public.search_control');
  });

  it('erases a subject: values and key deleted, gone from a pg_dump, read as erased with the date', async () => {
    const comment = marker('comment');
    const group = marker('group');
    const { sealed, position, eventId } = await write({ comment, groups: [group] });
    const placeholders = await placeholdersAt(position);
    const subjectId = sealed.subjectId as string;

    // What erasure must destroy: the ciphertexts and the wrapped key, in the dump until then.
    const stored = await pool.query<{ bytes: Buffer }>(
      `SELECT ciphertext AS bytes FROM personal.personal_values WHERE subject_id = $1
       UNION ALL SELECT wrapped_key FROM personal.subjects WHERE subject_id = $1`,
      [subjectId],
    );
    expect(stored.rows).toHaveLength(3);
    const hex = stored.rows.map((row) => row.bytes.toString('hex'));
    const beforeErasure = await dump();
    for (const bytes of hex) expect(beforeErasure).toContain(bytes);

    const before = Date.now();
    const erased = await store.erase(subjectId, 'admin:dpo', 'written request 2026-0042');
    expect(erased).toEqual({
      subjectId,
      erasedAt: expect.any(Date),
      erasedBy: 'admin:dpo',
      alreadyErased: false,
      values: expect.arrayContaining([
        { ref: placeholders.comment.ref, eventId, path: '/comment', kind: 'comment' },
        { ref: placeholders.groups.ref, eventId, path: '/groups', kind: 'sensitive' },
      ]),
    });
    expect(erased.values).toHaveLength(2);
    expect(Math.abs(erased.erasedAt.getTime() - before)).toBeLessThan(60_000);

    expect(await count('personal_values', 'subject_id = $1', [subjectId])).toBe(0);
    const { rows } = await pool.query(
      'SELECT wrapped_key, kek_id, erased_by, erasure_reason FROM personal.subjects WHERE subject_id = $1',
      [subjectId],
    );
    expect(rows).toEqual([
      {
        wrapped_key: null,
        kek_id: null,
        erased_by: 'admin:dpo',
        erasure_reason: 'written request 2026-0042',
      },
    ]);
    const all = await dump();
    expect(dumped(all, comment)).toBe(false);
    expect(dumped(all, group)).toBe(false);
    for (const bytes of hex) expect(all).not.toContain(bytes);
    expect(await store.reveal([placeholders.comment, placeholders.groups])).toEqual([
      { erased: true, ref: placeholders.comment.ref, subjectId, erasedAt: erased.erasedAt },
      { erased: true, ref: placeholders.groups.ref, subjectId, erasedAt: erased.erasedAt },
    ]);
    // The log still holds the placeholders: its leaves, and so every proof, are unchanged.
    expect(await placeholdersAt(position)).toEqual(placeholders);
  });

  it('answers a second erasure as the first, changing nothing', async () => {
    const { sealed } = await write({ comment: 'una vez' });
    const subjectId = sealed.subjectId as string;
    const first = await store.erase(subjectId, 'admin:dpo', 'request 1');
    const again = await store.erase(subjectId, 'admin:other', 'request 2');
    expect(again).toEqual({ ...first, alreadyErased: true, values: [] });
    const byReceipt = await store.eraseByReceipt(sealed.receiptSecret as string);
    expect(byReceipt).toEqual({ ...first, alreadyErased: true, values: [] });
    const { rows } = await pool.query(
      'SELECT erased_by, erasure_reason FROM personal.subjects WHERE subject_id = $1',
      [subjectId],
    );
    expect(rows).toEqual([{ erased_by: 'admin:dpo', erasure_reason: 'request 1' }]);
  });

  it('erases for whoever holds the receipt, and refuses an unknown or malformed receipt', async () => {
    const comment = marker('comment');
    const { sealed, position } = await write({ comment });
    const erased = await store.eraseByReceipt(sealed.receiptSecret as string);
    expect(erased.subjectId).toBe(sealed.subjectId);
    expect(erased.erasedBy).toBe(RECEIPT_HOLDER);
    expect(erased.values.map((value) => value.path)).toEqual(['/comment']);
    const placeholders = await placeholdersAt(position);
    expect(await store.reveal([placeholders.comment])).toEqual([
      expect.objectContaining({ erased: true, erasedAt: erased.erasedAt }),
    ]);
    await expect(store.eraseByReceipt(randomBytes(32).toString('base64url'))).rejects.toThrow(
      ReceiptNotFoundError,
    );
    await expect(store.eraseByReceipt('not a receipt')).rejects.toThrow(InvalidInputError);
  });

  it('refuses an unknown subject clearly, storing nothing', async () => {
    const unknown = randomUUID();
    await expect(store.erase(unknown, 'admin:dpo', 'request')).rejects.toThrow(
      new SubjectNotFoundError(unknown),
    );
    const values = await count('personal_values');
    await expect(
      store.seal({
        subject: unknown,
        events: [{ id: randomUUID(), type: 'CommentPosted', data: { comment: 'x' } }],
        declaration,
      }),
    ).rejects.toThrow(SubjectNotFoundError);
    expect(await count('personal_values')).toBe(values);
    await expect(store.erase('not-a-uuid', 'admin:dpo', 'request')).rejects.toThrow(
      InvalidInputError,
    );
    await expect(store.erase(randomUUID(), 'admin:dpo', ' ')).rejects.toThrow(InvalidInputError);
  });

  it('adds values to a known subject, and refuses an erased one', async () => {
    const { sealed } = await write({ comment: 'primero' });
    const subjectId = sealed.subjectId as string;
    const second = await store.seal({
      subject: subjectId,
      events: [{ id: randomUUID(), type: 'CommentPosted', data: { comment: 'segundo' } }],
      declaration,
    });
    expect(second.subjectId).toBe(subjectId);
    expect(second.receiptSecret).toBeUndefined();
    expect(await count('personal_values', 'subject_id = $1', [subjectId])).toBe(2);
    const erased = await store.erase(subjectId, 'admin:dpo', 'request');
    await expect(
      store.seal({
        subject: subjectId,
        events: [{ id: randomUUID(), type: 'CommentPosted', data: { comment: 'tercero' } }],
        declaration,
      }),
    ).rejects.toThrow(new SubjectErasedError(subjectId, erased.erasedAt));
  });

  it('refuses sensitive data without authorization, naming the field, storing nothing', async () => {
    const subjects = await count('subjects');
    const group = marker('group');
    const refused = store.seal({
      subject: 'new',
      events: [
        { id: randomUUID(), type: 'CommentPosted', data: { comment: 'x', groups: [group] } },
      ],
      declaration,
    });
    await expect(refused).rejects.toThrow(new SensitiveDataWithoutAuthorizationError('groups'));
    await expect(refused).rejects.not.toThrow(group);
    expect(await count('subjects')).toBe(subjects);
  });

  it('stores nothing and creates no subject for events without personal values', async () => {
    const subjects = await count('subjects');
    const data = { title: 'Acta de la secretaría' };
    const sealed = await store.seal({
      subject: 'new',
      events: [{ id: randomUUID(), type: 'CommitmentRegistered', data }],
      declaration,
    });
    expect(sealed).toEqual({
      events: [{ id: expect.any(String), type: 'CommitmentRegistered', data }],
      subjectId: undefined,
      receiptSecret: undefined,
      values: [],
    });
    expect(await count('subjects')).toBe(subjects);
  });

  it("seals inside the caller's transaction: a rollback leaves nothing", async () => {
    const subjects = await count('subjects');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const sealed = await store.seal(
        {
          subject: 'new',
          events: [{ id: randomUUID(), type: 'CommentPosted', data: { comment: 'en curso' } }],
          declaration,
        },
        client,
      );
      const inside = await client.query(
        'SELECT count(*)::int AS n FROM personal.personal_values WHERE subject_id = $1',
        [sealed.subjectId],
      );
      expect(inside.rows[0].n).toBe(1);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await count('subjects')).toBe(subjects);
  });

  it('discards what a refused append sealed, harmlessly twice', async () => {
    const sealed: SealResult = await store.seal({
      subject: 'new',
      events: [{ id: randomUUID(), type: 'CommentPosted', data: { comment: 'rechazado' } }],
      declaration,
    });
    await store.discard(sealed);
    await store.discard(sealed);
    expect(await count('subjects', 'subject_id = $1', [sealed.subjectId])).toBe(0);
    expect(await count('personal_values', 'subject_id = $1', [sealed.subjectId])).toBe(0);
  });

  it('sweeps old values no event references, and keeps those the log references', async () => {
    const kept = await write({ comment: 'en el registro' });
    const orphan = await store.seal({
      subject: 'new',
      events: [{ id: randomUUID(), type: 'CommentPosted', data: { comment: 'huérfano' } }],
      declaration,
    });
    // A concurrent duplicate of `kept`'s command: same event id, its own values, never appended.
    const duplicate = await store.seal({
      subject: kept.sealed.subjectId as string,
      events: [{ id: kept.eventId, type: 'CommentPosted', data: { comment: 'duplicado' } }],
      declaration,
    });
    expect(await store.sweepUnreferenced(60_000)).toBe(0); // too recent: maybe still appending
    const refs = [kept, { sealed: orphan }, { sealed: duplicate }].map(
      (w) => w.sealed.values[0].ref,
    );
    await pool.query(
      `UPDATE personal.personal_values SET created_at = created_at - interval '2 minutes'
        WHERE value_id = ANY($1::uuid[])`,
      [refs],
    );
    await pool.query(
      `UPDATE personal.subjects SET created_at = created_at - interval '2 minutes'
        WHERE subject_id = ANY($1::uuid[])`,
      [[kept.sealed.subjectId, orphan.subjectId]],
    );
    expect(await store.sweepUnreferenced(60_000)).toBe(2);
    expect(await count('personal_values', 'value_id = $1', [orphan.values[0].ref])).toBe(0);
    expect(await count('subjects', 'subject_id = $1', [orphan.subjectId])).toBe(0);
    expect(await count('personal_values', 'value_id = $1', [duplicate.values[0].ref])).toBe(0);
    expect(await count('personal_values', 'value_id = $1', [kept.sealed.values[0].ref])).toBe(1);
    expect(await count('subjects', 'subject_id = $1', [kept.sealed.subjectId])).toBe(1);
  });

  it('reads nothing with another key-encryption key, and says which key is needed', async () => {
    const { position } = await write({ comment: 'clave' });
    const placeholders = await placeholdersAt(position);
    const other = new PersonalDataStore({ pool, kek: randomBytes(32) });
    const [answer] = await other.reveal([placeholders.comment]);
    expect(answer).toBeInstanceOf(PersonalDataKeyError);
    expect((answer as Error).message).toMatch(
      /was wrapped by key-encryption key [0-9a-f]{16}, but the configured key file holds [0-9a-f]{16}/,
    );
  });

  it('detects a ciphertext moved to another row and a reference the store lacks', async () => {
    const first = await write({ comment: marker('first') });
    const second = await write({ comment: marker('second') });
    const a = (await placeholdersAt(first.position)).comment;
    const b = (await placeholdersAt(second.position)).comment;
    await pool.query(
      `UPDATE personal.personal_values SET ciphertext = (SELECT ciphertext FROM personal.personal_values WHERE value_id = $2),
              iv = (SELECT iv FROM personal.personal_values WHERE value_id = $2),
              tag = (SELECT tag FROM personal.personal_values WHERE value_id = $2)
        WHERE value_id = $1`,
      [a.ref, b.ref],
    );
    const [moved, missing, intact] = await store.reveal([a, { ...b, ref: randomUUID() }, b]);
    expect(moved).toEqual(new PersonalValueUnavailableError(a.ref, 'undecryptable'));
    expect(missing).toBeInstanceOf(PersonalValueUnavailableError);
    expect(intact).toEqual(expect.objectContaining({ erased: false, ref: b.ref }));
    // A placeholder whose commitment is not the stored value's.
    const [forged] = await store.reveal([{ ...b, commitment: `sha256:${'0'.repeat(64)}` }]);
    expect(forged).toEqual(new PersonalValueUnavailableError(b.ref, 'commitment_mismatch'));
  });
});
