import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import { recordCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { live } from '../support/live.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Citizens' evaluations over HTTP and graphql-ws against the built server: submitting
// (anonymous and as a citizen), answering, reporting, hiding and restoring, the lists, the
// history, the per-client limit and the live feed of a commitment's evaluations.

const ID = CARTAGENA_2023_ID;
const SUBMIT = `mutation ($input: SubmitEvaluationInput!) {
  submitEvaluation(input: $input) { streamId streamVersion positions receipt { position } } }`;
const EVALUATION = `query ($id: ID!) { evaluation(id: $id) {
  id territory dueDate answerState answers reports placeholder
  ratings { clarity progress dialogueUsefulness }
  answer { text } moderation { state category automatic }
  target { kind commitmentId milestoneId }
  history(first: 20) { edges { node { type reason actor { role } } } } } }`;

describe('citizen evaluations over the API', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  let otherSteward: Record<string, string>;
  let citizen: Record<string, string>;
  let moderator: Record<string, string>;
  let next = 0;

  const call = async (query: string, variables: Record<string, unknown>, headers = {}) =>
    (await graphql(server.url, query, variables, headers)).body;
  const submit = (input: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(
      SUBMIT,
      {
        input: {
          evaluationId: `e2e-${++next}`,
          target: { kind: 'MILESTONE', commitmentId: ID, milestoneId: 'm6' },
          ratings: { clarity: 4, dialogueUsefulness: 5 },
          territory: 'localidad-2',
          ...input,
        },
      },
      { 'x-cuenta-session': 'session-of-ana', ...headers },
    );
  const mutate = (name: string, input: Record<string, unknown>, headers: Record<string, string>) =>
    call(
      `mutation ($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { streamVersion positions } }`,
      { input },
      headers,
    );
  const evaluation = async (id: string) => (await call(EVALUATION, { id })).data?.evaluation;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-evaluations-e2e-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
      CUENTA_EVALUATION_LIMIT_ANONYMOUS: '16',
    });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
    otherSteward = bearer(await mint({ role: 'steward', agencies: ['otra-entidad'] }));
    citizen = bearer(await mint({ role: 'citizen', subject: 'ana-ciudadana' }));
    moderator = bearer(await mint({ role: 'moderator' }));
    await recordCartagena(server.url, steward);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('takes an anonymous evaluation under a pseudonymous actor, due in 15 business days', async () => {
    const { data, errors } = await submit({});
    expect(errors).toBeUndefined();
    expect(data?.submitEvaluation).toMatchObject({ streamVersion: 1, receipt: null });
    const shown = await evaluation(data?.submitEvaluation.streamId);
    expect(shown).toMatchObject({
      territory: 'localidad-2',
      answerState: 'PENDING',
      ratings: { clarity: 4, progress: null, dialogueUsefulness: 5 },
      target: { kind: 'MILESTONE', commitmentId: ID, milestoneId: 'm6' },
      placeholder: null,
    });
    expect(shown.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(shown.history.edges[0].node).toMatchObject({
      type: 'EvaluationSubmitted',
      actor: { role: 'anonymous' },
    });
  });

  it('takes a signed-in citizen, recorded in the citizen role', async () => {
    const { data } = await submit({ territory: 'ucg-1' }, citizen);
    const shown = await evaluation(data?.submitEvaluation.streamId);
    expect(shown.history.edges[0].node.actor).toEqual({ role: 'citizen' });
  });

  it('names the field at fault and records nothing', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ratings: { clarity: 6 } }, 'INVALID_INPUT', 'ratings.clarity'],
      [{ territory: 'medellin' }, 'INVALID_INPUT', 'territory'],
      [
        { target: { kind: 'COMMITMENT', commitmentId: 'nope' } },
        'EVALUATION_TARGET_NOT_FOUND',
        'target.commitmentId',
      ],
      [
        { target: { kind: 'MILESTONE', commitmentId: ID, milestoneId: 'm99' } },
        'EVALUATION_TARGET_NOT_FOUND',
        'target.milestoneId',
      ],
      [
        { target: { kind: 'DIALOGUE_SPACE', dialogueSpaceId: 'nope' } },
        'EVALUATION_TARGET_NOT_FOUND',
        'target.dialogueSpaceId',
      ],
    ];
    const count = async () =>
      (await call('{ evaluations(first: 1) { totalCount } }', {})).data?.evaluations.totalCount;
    const before = await count();
    for (const [input, code, field] of cases) {
      const { errors } = await submit(input);
      expect(errors?.[0].extensions).toMatchObject({ code, field });
    }
    expect(await count()).toBe(before);
  });

  it("is answered by the lead agency's stewards only; a later answer supersedes", async () => {
    const { data } = await submit({});
    const evaluationId = data?.submitEvaluation.streamId;
    const refused = await mutate('answerEvaluation', { evaluationId, answer: 'No' }, otherSteward);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    await mutate('answerEvaluation', { evaluationId, answer: 'Primera respuesta' }, steward);
    await mutate('answerEvaluation', { evaluationId, answer: 'Respuesta completa' }, steward);
    const shown = await evaluation(evaluationId);
    expect(shown).toMatchObject({
      answerState: 'ANSWERED',
      answers: 2,
      answer: { text: 'Respuesta completa' },
    });
    expect(shown.history.edges.map((e: { node: { type: string } }) => e.node.type)).toEqual([
      'EvaluationAnswered',
      'EvaluationAnswered',
      'EvaluationSubmitted',
    ]);
    const answered = await call(
      `query ($id: String!) { commitment(id: $id) { evaluations(first: 5, filter: { answerState: ANSWERED }) {
        totalCount edges { node { id } } } } }`,
      { id: ID },
    );
    expect(answered.data?.commitment.evaluations).toEqual({
      totalCount: 1,
      edges: [{ node: { id: evaluationId } }],
    });
  });

  it('hides after three reports, shows a placeholder, and a moderator restores it; history keeps all', async () => {
    const { data } = await submit({ ratings: { clarity: 1 } });
    const evaluationId = data?.submitEvaluation.streamId;
    // One anonymous client reports, then tries again: refused, nothing recorded.
    const first = await mutate(
      'reportEvaluation',
      { evaluationId, reason: 'OFFENSIVE' },
      { 'x-cuenta-session': 'session-of-reporter-1' },
    );
    expect(first.errors).toBeUndefined();
    const again = await mutate(
      'reportEvaluation',
      { evaluationId, reason: 'OFFENSIVE' },
      { 'x-cuenta-session': 'session-of-reporter-1' },
    );
    expect(again.errors?.[0].extensions).toMatchObject({
      code: 'EVALUATION_ALREADY_REPORTED',
      field: 'evaluationId',
    });
    // Without a session an anonymous caller cannot be counted once: refused.
    const sessionless = await mutate('reportEvaluation', { evaluationId, reason: 'SPAM' }, {});
    expect(sessionless.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'X-Cuenta-Session',
    });
    expect(await evaluation(evaluationId)).toMatchObject({
      reports: 1,
      moderation: { state: 'VISIBLE' },
    });
    // Two more clients (another anonymous session, a signed-in citizen): three reporters hide it.
    for (const [reason, headers] of [
      ['SPAM', { 'x-cuenta-session': 'session-of-reporter-2' }],
      ['OFFENSIVE', citizen],
    ] as const) {
      const reported = await mutate('reportEvaluation', { evaluationId, reason }, headers);
      expect(reported.errors).toBeUndefined();
    }
    const hidden = await evaluation(evaluationId);
    expect(hidden).toMatchObject({
      ratings: null,
      reports: 3,
      moderation: { state: 'HIDDEN', category: 'OFFENSIVE', automatic: true },
    });
    expect(hidden.placeholder).toMatch(/^moderated on \d{4}-\d{2}-\d{2}: offensive$/);
    const list = await call(
      '{ evaluations(first: 50, filter: { moderationState: HIDDEN }) { edges { node { id placeholder } } } }',
      {},
    );
    expect(list.data?.evaluations.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      evaluationId,
    ]);

    const notAllowed = await mutate('restoreEvaluation', { evaluationId, reason: 'no' }, citizen);
    expect(notAllowed.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    await mutate('restoreEvaluation', { evaluationId, reason: 'Crítica legítima' }, moderator);
    await mutate(
      'hideEvaluation',
      {
        evaluationId,
        category: 'EXPOSES_PERSONAL_DATA',
        reason: 'Da el teléfono de un funcionario',
      },
      moderator,
    );
    const shown = await evaluation(evaluationId);
    expect(shown.placeholder).toMatch(/: exposes_personal_data$/);
    expect(
      shown.history.edges.map((e: { node: { type: string; reason: string | null } }) => [
        e.node.type,
        e.node.reason,
      ]),
    ).toEqual([
      ['EvaluationHidden', 'Da el teléfono de un funcionario'],
      ['EvaluationRestored', 'Crítica legítima'],
      // The third report's command hid it: its events carry the report's reason.
      ['EvaluationHidden', 'offensive'],
      ['EvaluationReported', 'offensive'],
      ['EvaluationReported', 'spam'],
      ['EvaluationReported', 'offensive'],
      ['EvaluationSubmitted', null],
    ]);
  });

  it('sends new evaluations and answers on a commitment over graphql-ws', async () => {
    const subscription = live(
      server.url,
      `subscription ($id: String!) { evaluationActivity(commitmentId: $id, limit: 2) {
        type evaluation { id answerState answer { text } } } }`,
      2,
      { id: ID },
    );
    await subscription.ready;
    const { data } = await submit({ territory: 'ucg-9' });
    const evaluationId = data?.submitEvaluation.streamId;
    await mutate('answerEvaluation', { evaluationId, answer: 'Gracias' }, steward);
    const updates = (await subscription.done).map((r) => r.evaluationActivity);
    expect(updates).toEqual([
      {
        type: 'EvaluationSubmitted',
        evaluation: { id: evaluationId, answerState: 'PENDING', answer: null },
      },
      {
        type: 'EvaluationAnswered',
        evaluation: { id: evaluationId, answerState: 'ANSWERED', answer: { text: 'Gracias' } },
      },
    ]);
  });

  it('limits anonymous submissions per client', async () => {
    let limited: Record<string, unknown> | undefined;
    for (let i = 0; i < 18 && limited === undefined; i++) {
      const { errors } = await submit({});
      limited = errors?.find((e) => e.extensions?.code === 'RATE_LIMITED')?.extensions;
    }
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });
});
