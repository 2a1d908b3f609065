import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyPersonalValue } from '#platform';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import { recordCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';

// An evaluation's personal values over HTTP against the built server: sealed on submit with
// a receipt, shown as the platform's PersonalValue to the roles allowed to see each, proven
// against its commitment with the receipt's salt, refused without authorization when
// sensitive, erased by the receipt's secret so every role reads them as erased with the date,
// and never in the server's log or a dump of the database; the exported log still verifies.

const run = promisify(execFile);
const CLI = 'dist/apps/cli/src/main.js';
const SUBMIT = `mutation ($input: SubmitEvaluationInput!) {
  submitEvaluation(input: $input) {
    streamId receipt { subjectId position secret values { path salt commitment } } } }`;
const EVALUATION = `query ($id: ID!) { evaluation(id: $id) {
  id
  comment { value erased erasedAt subjectId commitment }
  contact { value erased erasedAt subjectId commitment }
  groups { value erased erasedAt subjectId commitment } } }`;
const ERASE = `mutation ($input: ErasePersonalDataInput!) {
  erasePersonalData(input: $input) { subjectId erasedAt alreadyErased position } }`;
const authorization = {
  purpose: 'Medir la inclusión en la participación ciudadana',
  noticeHash: `sha256:${'ab'.repeat(32)}`,
  givenAt: '2026-03-01T10:00:00.000Z',
};

describe("an evaluation's personal values over the API", () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let administrator: Record<string, string>;
  let moderator: Record<string, string>;
  let steward: Record<string, string>;
  const tag = randomUUID();
  const comment = `comentario-${tag}`;
  const contact = `contacto-${tag}@correo.example`;
  const group = `grupo-${tag}`;
  const markers = [
    comment,
    contact,
    group,
    `${group}-sin-autorizacion`,
    `${group}-con-autorizacion`,
  ];

  const call = async (query: string, variables: Record<string, unknown>, headers = {}) =>
    (await graphql(server.url, query, variables, headers)).body;
  const submit = (input: Record<string, unknown>) =>
    call(SUBMIT, {
      input: {
        evaluationId: randomUUID(),
        target: { kind: 'COMMITMENT', commitmentId: CARTAGENA_2023_ID },
        ratings: { clarity: 4 },
        territory: 'localidad-1',
        ...input,
      },
    });
  const evaluation = async (id: string, headers: Record<string, string> = {}) =>
    (await call(EVALUATION, { id }, headers)).data?.evaluation;
  const logSize = async () => (await call('{ ledgerInfo { size } }', {})).data?.ledgerInfo.size;
  const dump = async () =>
    (await run('pg_dump', ['--no-owner', database.url], { maxBuffer: 256 << 20 })).stdout;
  const env = () => ({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });

  let evaluationId: string;
  let receipt: {
    subjectId: string;
    position: number;
    secret: string;
    values: { path: string; salt: string; commitment: string }[];
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-evaluation-personal-e2e-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
    });
    const { mint } = await localTokens(dataDir);
    administrator = bearer(await mint({ role: 'administrator' }));
    moderator = bearer(await mint({ role: 'moderator' }));
    steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
    await recordCartagena(server.url, steward);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seals an anonymous evaluation with a comment, a contact and groups, answering a receipt', async () => {
    const { data, errors } = await submit({ comment, contact, groups: [group], authorization });
    expect(errors).toBeUndefined();
    evaluationId = data?.submitEvaluation.streamId;
    receipt = data?.submitEvaluation.receipt;
    expect(receipt.secret).toEqual(expect.any(String));
    expect(receipt.values.map((value) => value.path).sort()).toEqual([
      '/comment',
      '/contact',
      '/groups',
    ]);
  });

  it('shows anonymous callers the comment only, and administrators all three with the subject', async () => {
    const anonymous = await evaluation(evaluationId);
    expect(anonymous.comment).toMatchObject({ value: comment, erased: false, subjectId: null });
    expect(anonymous.contact).toMatchObject({ value: null, erased: false, subjectId: null });
    expect(anonymous.groups).toMatchObject({ value: null, erased: false, subjectId: null });
    const admin = await evaluation(evaluationId, administrator);
    expect(admin.comment).toMatchObject({ value: comment, subjectId: receipt.subjectId });
    expect(admin.contact).toMatchObject({ value: contact, subjectId: receipt.subjectId });
    expect(admin.groups).toMatchObject({ value: [group], subjectId: receipt.subjectId });
  });

  it("proves a value against the log's commitment with the receipt's salt", async () => {
    const shown = await evaluation(evaluationId);
    const sealed = receipt.values.find((value) => value.path === '/comment');
    expect(sealed?.commitment).toBe(shown.comment.commitment);
    expect(verifyPersonalValue(comment, sealed?.salt ?? '', shown.comment.commitment)).toBe(true);
    expect(verifyPersonalValue(`${comment}!`, sealed?.salt ?? '', shown.comment.commitment)).toBe(
      false,
    );
  });

  it('refuses groups without an authorization, naming the field, and appends nothing', async () => {
    const before = await logSize();
    const refused = await submit({ groups: [`${group}-sin-autorizacion`] });
    expect(refused.errors?.[0].extensions).toEqual(
      expect.objectContaining({ code: 'SENSITIVE_DATA_WITHOUT_AUTHORIZATION', field: 'groups' }),
    );
    expect(await logSize()).toBe(before);
    // The same write with the authorization is appended: the size above can tell.
    const accepted = await submit({ groups: [`${group}-con-autorizacion`], authorization });
    expect(accepted.errors).toBeUndefined();
    expect(await logSize()).toBeGreaterThan(before);
  });

  it('while hidden shows its placeholder, the comment only to moderators and administrators', async () => {
    const hiddenComment = `${comment}-oculto`;
    markers.push(hiddenComment);
    const { data } = await submit({ comment: hiddenComment, contact });
    const id = data?.submitEvaluation.streamId;
    const hidden = await call(
      `mutation ($input: HideEvaluationInput!) { hideEvaluation(input: $input) { streamVersion } }`,
      { input: { evaluationId: id, category: 'OFF_TOPIC', reason: 'No trata del compromiso' } },
      moderator,
    );
    expect(hidden.errors).toBeUndefined();
    const placeholder = async (headers: Record<string, string>) =>
      (await call('query ($id: ID!) { evaluation(id: $id) { placeholder } }', { id }, headers)).data
        ?.evaluation.placeholder;
    expect(await placeholder({})).toMatch(/^moderated on /);
    expect((await evaluation(id)).comment).toBeNull();
    expect((await evaluation(id, steward)).comment).toBeNull();
    expect((await evaluation(id, steward)).contact).toMatchObject({ value: contact });
    expect((await evaluation(id, moderator)).comment).toMatchObject({ value: hiddenComment });
    expect((await evaluation(id, administrator)).comment).toMatchObject({ value: hiddenComment });
  });

  it("erases by the receipt's secret: every role then reads each value as erased, with the date", async () => {
    const erased = await call(ERASE, { input: { receipt: receipt.secret } });
    expect(erased.errors).toBeUndefined();
    const erasure = erased.data?.erasePersonalData;
    expect(erasure).toMatchObject({ subjectId: receipt.subjectId, alreadyErased: false });
    for (const headers of [{}, steward, moderator, administrator]) {
      const shown = await evaluation(evaluationId, headers);
      for (const field of ['comment', 'contact', 'groups'] as const) {
        expect(shown[field]).toMatchObject({
          value: null,
          erased: true,
          erasedAt: erasure.erasedAt,
        });
      }
    }
  });

  it('leaves no marker in the server log or a dump of the database', async () => {
    const log = server.output();
    const dumped = await dump();
    expect(dumped).toContain(receipt.subjectId);
    for (const marker of markers) {
      expect(log).not.toContain(marker);
      expect(dumped).not.toContain(marker);
    }
  });

  it('exports a log that cuenta verify passes', async () => {
    const dir = path.join(dataDir, 'export');
    const exported = await runNode(CLI, ['export', dir], env());
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const verifierKey = (await call('{ ledgerInfo { verifierKey } }', {})).data?.ledgerInfo
      .verifierKey as string;
    const verified = await runNode(CLI, ['verify', dir, '--key', verifierKey], env());
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`verified ${dir}`);
  });
});
