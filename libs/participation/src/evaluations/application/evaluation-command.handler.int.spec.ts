import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ForbiddenError,
  isPersonalPlaceholder,
  SensitiveDataWithoutAuthorizationError,
  verifyPersonalValue,
  type Actor,
} from '#platform';
import { InvalidCommand } from '#kernel';
import { CommitmentCommandHandler } from '#commitments';
import {
  CARTAGENA,
  CARTAGENA_AGENCY,
  evaluationWorld,
  type EvaluationWorld,
} from '../../../test/evaluations/evaluation-world.js';
import { EvaluationTargetNotFound } from '../domain/index.js';

const run = promisify(execFile);
const marker = (label: string) => `MARKER-${label}-${randomBytes(6).toString('hex')}`;

const anonymous: Actor = {
  subject: 'anon:abc',
  authenticated: false,
  roles: [],
  agencies: [],
  role: 'anonymous',
};
const steward = (agency: string): Actor => ({
  subject: `steward-${agency}`,
  authenticated: true,
  roles: ['steward'],
  agencies: [agency],
  role: 'steward',
});
const authorization = {
  purpose: 'answer the citizen about this commitment',
  noticeHash: `sha256:${'c0'.repeat(32)}`,
  givenAt: '2026-12-01T10:00:00.000Z',
};

describe('the evaluation command handler', () => {
  let world: EvaluationWorld;
  let next = 0;
  const submit = (data: Record<string, unknown>, personal = {}) =>
    world.handler.handle({
      command: {
        type: 'SubmitEvaluation',
        data: {
          evaluationId: `ev-${++next}`,
          target: { kind: 'milestone', commitmentId: CARTAGENA, milestoneId: 'm6' },
          ratings: { clarity: 4 },
          territory: 'localidad-1',
          ...data,
        },
      },
      issuer: { kind: 'caller', actor: anonymous },
      personal,
    });

  beforeAll(async () => {
    world = await evaluationWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('keeps comment, contact and groups out of the log, and gives the author a receipt', async () => {
    const comment = marker('comment');
    const contact = marker('contact');
    const group = marker('group');
    const result = await submit({ comment, contact, groups: [group] }, { authorization });

    expect(result.receipt).toMatchObject({
      position: result.positions[0],
      secret: expect.any(String),
    });
    const [event] = await world.store.readStream(`evaluation-ev-${next}`);
    const data = event.data as Record<string, unknown>;
    expect(isPersonalPlaceholder(data.comment)).toBe(true);
    expect(isPersonalPlaceholder(data.contact)).toBe(true);
    expect(isPersonalPlaceholder(data.groups)).toBe(true);
    expect(data).toMatchObject({ agencyId: CARTAGENA_AGENCY, territory: 'localidad-1' });
    const receiptValue = result.receipt?.values.find((v) => v.path === '/comment');
    expect(receiptValue).toBeDefined();
    const { salt, commitment } = receiptValue ?? { salt: '', commitment: '' };
    expect(verifyPersonalValue(comment, salt, commitment)).toBe(true);

    const dump = (
      await run('pg_dump', ['--no-owner', world.database.url], {
        maxBuffer: 256 * 2 ** 20,
      })
    ).stdout;
    for (const value of [comment, contact, group]) expect(dump).not.toContain(value);
  });

  it('refuses self-declared groups without an authorization, storing nothing', async () => {
    const before = await world.store.head();
    await expect(submit({ groups: ['víctimas'] })).rejects.toBeInstanceOf(
      SensitiveDataWithoutAuthorizationError,
    );
    expect(await world.store.head()).toBe(before);
    const { rows } = await world.pool.query(
      'SELECT count(*)::int AS n FROM personal.personal_values',
    );
    expect(rows[0].n).toBe(3);
  });

  it('takes an evaluation without personal data and gives no receipt', async () => {
    const result = await submit({ ratings: { progress: 2, dialogue_usefulness: 5 } });
    expect(result.receipt).toBeUndefined();
    expect(result.streamVersion).toBe(1);
  });

  it('names an unknown target, a bad rating or territory, and appends nothing', async () => {
    const before = await world.store.head();
    await expect(
      submit({ target: { kind: 'milestone', commitmentId: CARTAGENA, milestoneId: 'm99' } }),
    ).rejects.toMatchObject({ code: 'EVALUATION_TARGET_NOT_FOUND', field: 'target.milestoneId' });
    await expect(
      submit({ target: { kind: 'dialogue_space', dialogueSpaceId: 'nope' } }),
    ).rejects.toBeInstanceOf(EvaluationTargetNotFound);
    await expect(submit({ ratings: { clarity: 7 } })).rejects.toMatchObject({
      field: 'ratings.clarity',
    });
    await expect(submit({ territory: 'bogota' })).rejects.toBeInstanceOf(InvalidCommand);
    expect(await world.store.head()).toBe(before);
  });

  it('sees a milestone added after an earlier submission read the commitment', async () => {
    await submit({});
    await expect(
      submit({ target: { kind: 'milestone', commitmentId: CARTAGENA, milestoneId: 'm8' } }),
    ).rejects.toBeInstanceOf(EvaluationTargetNotFound);
    await new CommitmentCommandHandler(world.store).handle({
      command: {
        type: 'AddMilestone',
        data: {
          commitmentId: CARTAGENA,
          milestoneId: 'm8',
          title: 'Informe de cierre con la ciudadanía',
          responsibleOffice: 'Secretaría de Participación',
          plannedStart: '2023-12',
          plannedEnd: '2023-12',
        },
      },
      issuer: { kind: 'trusted', actor: { subject: 'test', role: 'administrator' } },
    });
    const result = await submit({
      target: { kind: 'milestone', commitmentId: CARTAGENA, milestoneId: 'm8' },
    });
    expect(result.streamVersion).toBe(1);
  });

  it("lets only a steward of the target's lead agency answer", async () => {
    const { streamId } = await submit({});
    const answer = (actor: Actor) =>
      world.handler.handle({
        command: { type: 'AnswerEvaluation', data: { evaluationId: streamId, answer: 'Gracias' } },
        issuer: { kind: 'caller', actor },
      });
    await expect(answer(steward('otra-entidad'))).rejects.toBeInstanceOf(ForbiddenError);
    const answered = await answer(steward(CARTAGENA_AGENCY));
    expect(answered.streamVersion).toBe(2);
    const [, event] = await world.store.readStream(`evaluation-${streamId}`);
    expect(event.metadata.actor).toEqual({
      subject: `steward-${CARTAGENA_AGENCY}`,
      role: 'steward',
      agency: CARTAGENA_AGENCY,
    });
  });
});

describe('the evaluation command handler without a personal-data store', () => {
  let world: EvaluationWorld;

  beforeAll(async () => {
    world = await evaluationWorld({ personalData: false });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('refuses a comment, naming it, and appends nothing', async () => {
    const before = await world.store.head();
    await expect(
      world.handler.handle({
        command: {
          type: 'SubmitEvaluation',
          data: {
            evaluationId: 'ev-1',
            target: { kind: 'commitment', commitmentId: CARTAGENA },
            ratings: { clarity: 4 },
            territory: 'ucg-1',
            comment: 'hola',
          },
        },
        issuer: { kind: 'caller', actor: anonymous },
      }),
    ).rejects.toEqual(
      expect.objectContaining({ code: 'PERSONAL_DATA_UNAVAILABLE', field: 'comment' }),
    );
    expect(await world.store.head()).toBe(before);
  });
});
