import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { CONTEXTS } from '#contexts';
import { EVENT_STORE, type PostgresEventStore } from '#event-store';
import { fromBase64, verifyInclusion } from '#ledger';
import { commandEventId, commandFingerprint, loadConfig, verifyPersonalValue } from '#platform';
import { exportBundle, LEDGER_SERVICE, type PostgresLedger } from '#transparency';
import { verifyBundleDir } from '#transparency/standalone';
import { createApp } from '../../apps/api/src/bootstrap.js';
import { localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql } from '../support/server.js';
import { testNotesContext } from '../support/personal-notes/notes.context.js';

// Personal data end to end (docs/privacy.md): a real Nest app on real HTTP and PostgreSQL,
// serving CONTEXTS and a test-only context that declares personal fields.

const run = promisify(execFile);
const NOTICE = `sha256:${'a'.repeat(64)}`;
const AUTHORIZATION = {
  purpose: 'to answer the note',
  noticeHash: NOTICE,
  givenAt: '2026-03-01T10:00:00Z',
};

const bytes = (base64: string) => fromBase64(base64) as Uint8Array;

/** A value that appears nowhere unless this test put it there. */
const marker = (what: string) => `MARK${what}${randomUUID().replace(/-/g, '')}`;

const LEAVE = `mutation ($input: LeaveTestNoteInput!) {
  leaveTestNote(input: $input) {
    positions eventIds replayed
    receipt { subjectId position positions eventIds secret values { eventId path salt commitment } }
  }
}`;
const NOTE = `query ($id: String!) {
  testNote(noteId: $id) {
    text { value erased erasedAt kind subjectId commitment }
    contact { value erased erasedAt kind subjectId commitment }
    groups { value erased erasedAt kind subjectId commitment }
  }
}`;
const ERASE = `mutation ($input: ErasePersonalDataInput!) {
  erasePersonalData(input: $input) { subjectId erasedAt alreadyErased position }
}`;
const PROOF = `query ($position: Int!, $size: Int) {
  inclusionProof(position: $position, treeSize: $size) {
    position treeSize leafHash hashes checkpoint { size rootHash }
  }
}`;

describe('personal data through a context, over HTTP', () => {
  let database: TestDatabase;
  let dir: string;
  let app: INestApplication;
  let url: string;
  let tokens: Awaited<ReturnType<typeof localTokens>>;
  const output: string[] = [];
  const answers: string[] = [];
  const writes: Array<[NodeJS.WriteStream, NodeJS.WriteStream['write']]> = [];

  const call = async (
    query: string,
    variables: Record<string, unknown>,
    role?: 'administrator' | 'steward' | 'oversight',
  ) => {
    const headers: Record<string, string> = role
      ? { authorization: `Bearer ${await tokens.mint({ role })}` }
      : {};
    const answer = await graphql(url, query, variables, headers);
    answers.push(JSON.stringify(answer.body.errors ?? []));
    return answer.body;
  };

  const leave = (input: Record<string, unknown>) =>
    call(LEAVE, { input: { noteId: randomUUID(), about: 'the library', ...input } });
  const store = () => app.get<PostgresEventStore>(EVENT_STORE);
  const valuesStored = async () =>
    (await store().pool.query('SELECT count(*)::int AS n FROM personal.personal_values')).rows[0]
      .n as number;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-personal-'));
    // Every line the server writes, kept to search for markers.
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      writes.push([stream, stream.write]);
      stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return original(chunk, ...rest);
      }) as NodeJS.WriteStream['write'];
    }
    const config = loadConfig({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dir,
      CUENTA_LOG_LEVEL: 'debug',
      CUENTA_LOG_FORMAT: 'json',
    });
    app = await createApp(config, database.url, undefined, [], [...CONTEXTS, testNotesContext]);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    tokens = await localTokens(dir);
  });

  afterAll(async () => {
    await app?.close();
    for (const [stream, write] of writes) stream.write = write;
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const dumpOf = async (...args: string[]) =>
    (await run('pg_dump', [...args, database.url], { maxBuffer: 256 << 20 })).stdout;

  const proofVerifies = async (position: number, size?: number) => {
    const { data } = await call(PROOF, { position, size });
    const proof = data?.inclusionProof;
    verifyInclusion({
      index: proof.position,
      size: proof.treeSize,
      leafHash: bytes(proof.leafHash),
      proof: proof.hashes.map((hash: string) => bytes(hash)),
      root: bytes(proof.checkpoint.rootHash),
    });
    return proof.treeSize as number;
  };

  const exportTo = async (name: string) => {
    const bundle = path.join(dir, name);
    const summary = await exportBundle({
      store: store(),
      ledger: app.get<PostgresLedger>(LEDGER_SERVICE),
      dir: bundle,
    });
    const files = await readdir(bundle);
    const text = (await Promise.all(files.map((file) => readFile(path.join(bundle, file))))).map(
      (bytes) => bytes.toString('latin1'),
    );
    return { bundle, size: summary.last.size, text: text.join('\n') };
  };

  it('writes, reveals by role, proves, exports, erases, and keeps every proof valid', async () => {
    const text = marker('text');
    const contact = `${marker('contact')}@example.org`;
    const group = marker('group');
    const noteId = randomUUID();
    const written = await leave({
      noteId,
      text,
      contact,
      groups: [group],
      authorization: AUTHORIZATION,
    });
    expect(written.errors).toBeUndefined();
    const result = written.data?.leaveTestNote;
    const receipt = result.receipt;
    expect(receipt.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(receipt.position).toBe(result.positions[0]);
    expect(receipt.values.map((value: { path: string }) => value.path).sort()).toEqual([
      '/contact',
      '/groups',
      '/text',
    ]);

    // Read by role: the comment is public; contact and groups for administrators (and the
    // answering agency's stewards); the subject id for administrators only.
    const anonymous = (await call(NOTE, { id: noteId })).data?.testNote;
    expect(anonymous.text).toEqual(
      expect.objectContaining({ value: text, erased: false, subjectId: null }),
    );
    expect(anonymous.contact.value).toBeNull();
    expect(anonymous.groups.value).toBeNull();
    const oversight = (await call(NOTE, { id: noteId }, 'oversight')).data?.testNote;
    expect(oversight.contact.value).toBeNull();
    const steward = (await call(NOTE, { id: noteId }, 'steward')).data?.testNote;
    expect(steward.contact.value).toBe(contact);
    expect(steward.groups.value).toEqual([group]);
    expect(steward.groups.subjectId).toBeNull();
    const admin = (await call(NOTE, { id: noteId }, 'administrator')).data?.testNote;
    expect(admin.contact.value).toBe(contact);
    expect(admin.groups).toEqual(
      expect.objectContaining({ value: [group], kind: 'sensitive', subjectId: receipt.subjectId }),
    );

    // The author proves each value against the commitment the log holds, with the salt.
    const valueOf = { '/text': text, '/contact': contact, '/groups': [group] } as Record<
      string,
      unknown
    >;
    for (const value of receipt.values) {
      expect(verifyPersonalValue(valueOf[value.path] as string, value.salt, value.commitment)).toBe(
        true,
      );
      expect(verifyPersonalValue('something else', value.salt, value.commitment)).toBe(false);
    }
    expect(admin.text.commitment).toBe(
      receipt.values.find((value: { path: string }) => value.path === '/text').commitment,
    );

    // The export and the event tables hold commitments, never the values.
    const before = await exportTo('before');
    for (const value of [text, contact, group]) expect(before.text).not.toContain(value);
    const events = await dumpOf('--data-only', '--schema=events');
    expect(events).toContain(receipt.values[0].commitment);
    for (const value of [text, contact, group]) expect(events).not.toContain(value);
    const oldSize = await proofVerifies(receipt.position);

    // Erased by the receipt's holder, without an account.
    const erased = await call(ERASE, { input: { receipt: receipt.secret } });
    expect(erased.errors).toBeUndefined();
    const erasure = erased.data?.erasePersonalData;
    expect(erasure).toEqual(
      expect.objectContaining({ subjectId: receipt.subjectId, alreadyErased: false }),
    );
    expect(erasure.position).toBeGreaterThan(receipt.position);

    const after = (await call(NOTE, { id: noteId }, 'administrator')).data?.testNote;
    for (const member of [after.text, after.contact, after.groups]) {
      expect(member).toEqual(
        expect.objectContaining({ value: null, erased: true, erasedAt: erasure.erasedAt }),
      );
    }
    // History: the erasure is in the log, with its date and nothing personal.
    const [recorded] = await store().readStream(`personal-data-${receipt.subjectId}`);
    expect(recorded.type).toBe('PersonalDataErased');
    expect(recorded.data).toEqual(
      expect.objectContaining({
        subjectId: receipt.subjectId,
        erasedAt: erasure.erasedAt,
        erasedBy: 'subject',
      }),
    );

    // Nothing in the whole database can give the values back; every proof still verifies.
    const left = await store().pool.query(
      `SELECT (SELECT count(*)::int FROM personal.personal_values WHERE subject_id = $1) AS values,
              wrapped_key FROM personal.subjects WHERE subject_id = $1`,
      [receipt.subjectId],
    );
    expect(left.rows).toEqual([{ values: 0, wrapped_key: null }]);
    const dump = await dumpOf();
    for (const value of [text, contact, group]) expect(dump).not.toContain(value);
    expect(await proofVerifies(receipt.position, oldSize)).toBe(oldSize);
    const fresh = await exportTo('after');
    expect(fresh.size).toBeGreaterThan(oldSize);
    expect(await proofVerifies(receipt.position, fresh.size)).toBe(fresh.size);
    await proofVerifies(erasure.position);
    for (const value of [text, contact, group]) expect(fresh.text).not.toContain(value);
    const verified = await verifyBundleDir({ dir: fresh.bundle, workers: 0 });
    expect(verified.summary.events).toBe(fresh.size);

    // Erasing twice is harmless: the same answer, nothing new in the log.
    const again = (await call(ERASE, { input: { receipt: receipt.secret } })).data
      ?.erasePersonalData;
    expect(again).toEqual({ ...erasure, alreadyErased: true });
  });

  it('lets an administrator erase by subject id with a reason; others may not', async () => {
    const text = marker('admin');
    const written = (await leave({ text })).data?.leaveTestNote;
    const subjectId = written.receipt.subjectId;
    const input = { subjectId, reason: 'written request 2026-17' };
    const refused = await call(ERASE, { input }, 'steward');
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const noReason = await call(ERASE, { input: { subjectId } }, 'administrator');
    expect(noReason.errors?.[0].extensions).toEqual(
      expect.objectContaining({ code: 'INVALID_INPUT', field: 'reason' }),
    );
    const erased = (await call(ERASE, { input }, 'administrator')).data?.erasePersonalData;
    expect(erased).toEqual(expect.objectContaining({ subjectId, alreadyErased: false }));
    const [recorded] = await store().readStream(`personal-data-${subjectId}`);
    expect(recorded.data).toEqual(expect.objectContaining({ erasedBy: 'administrator' }));
    expect(recorded.metadata.reason).toBe('written request 2026-17');
  });

  it('answers an unknown subject or receipt with a clear error, and both or neither given', async () => {
    const unknown = await call(
      ERASE,
      { input: { subjectId: randomUUID(), reason: 'request 1' } },
      'administrator',
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('SUBJECT_NOT_FOUND');
    const noReceipt = await call(ERASE, { input: { receipt: 'A'.repeat(43) } });
    expect(noReceipt.errors?.[0].extensions?.code).toBe('RECEIPT_NOT_FOUND');
    const neither = await call(ERASE, { input: {} });
    expect(neither.errors?.[0].message).toMatch(/either receipt .* or subjectId and reason/);
  });

  it('refuses a sensitive value without authorization, naming the field, and appends nothing', async () => {
    const head = await store().head();
    const group = marker('unauthorized');
    const refused = await leave({ text: marker('t'), groups: [group] });
    expect(refused.errors?.[0].extensions).toEqual(
      expect.objectContaining({ code: 'SENSITIVE_DATA_WITHOUT_AUTHORIZATION', field: 'groups' }),
    );
    expect(refused.errors?.[0].message).toMatch(/^groups is sensitive personal data/);
    expect(await store().head()).toBe(head);
    const stored = await valuesStored();
    // A refusal by the decider (it sees the real values) stores nothing either.
    const bad = await leave({
      text: marker('t'),
      contact: marker('notanemail'),
      groups: [group],
      authorization: AUTHORIZATION,
    });
    expect(bad.errors?.[0].extensions?.field).toBe('contact');
    expect(await valuesStored()).toBe(stored);
    expect(await store().head()).toBe(head);
  });

  it('answers a retry of the same command id without a receipt, and stores nothing twice', async () => {
    const input = {
      commandId: randomUUID(),
      noteId: randomUUID(),
      about: 'x',
      text: marker('retry'),
    };
    const first = (await call(LEAVE, { input })).data?.leaveTestNote;
    const stored = await valuesStored();
    const second = (await call(LEAVE, { input })).data?.leaveTestNote;
    expect(second).toEqual(
      expect.objectContaining({ replayed: true, receipt: null, positions: first.positions }),
    );
    expect(await valuesStored()).toBe(stored);
    // The event id is not the plain hash of the command, which would let anyone holding the
    // command id test guesses of a value against the public id.
    const plain = commandEventId(
      input.commandId,
      commandFingerprint({
        type: 'LeaveNote',
        data: { noteId: input.noteId, about: 'x', text: input.text },
      }),
      0,
    );
    expect(first.eventIds[0]).not.toBe(plain);
  });

  it('keeps one set of values when copies of a command race, discarding the others', async () => {
    const input = {
      commandId: randomUUID(),
      noteId: randomUUID(),
      about: 'x',
      text: marker('race'),
    };
    const stored = await valuesStored();
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(LEAVE, { input })));
    const results = answers.map((answer) => answer.data?.leaveTestNote);
    expect(results.filter((result) => result.replayed === false)).toHaveLength(1);
    expect(results.filter((result) => result.receipt !== null)).toHaveLength(1);
    expect(await valuesStored()).toBe(stored + 1);
  });

  it('never writes a personal value to the server log or an error answer', () => {
    const log = output.join('');
    // The capture works: the server's own start-up lines are in it.
    expect(log).toContain('personal data key-encryption key');
    const everything = `${log}\n${answers.join('\n')}`;
    expect(everything).not.toMatch(/MARK[a-z]+[0-9a-f]{32}/);
  });
});
