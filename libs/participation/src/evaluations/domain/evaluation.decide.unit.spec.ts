import { describe, expect, it } from '@jest/globals';
import { InvalidCommand } from '#kernel';
import {
  AGENCY_ID,
  EVALUATION_ID,
  given,
  hidden,
  reported,
  submit,
  submitted,
  TEST_NOW,
} from '../../../test/evaluations/evaluation.fixtures.js';
import {
  EvaluationAlreadyReported,
  EvaluationAlreadySubmitted,
  EvaluationModerationConflict,
  EvaluationNotFound,
  EvaluationTargetNotFound,
} from './evaluation.errors.js';

const at = TEST_NOW.toISOString();

describe('submitting an evaluation', () => {
  it("records the ratings, the territory, the answering agency and the answer's due date", () => {
    given([]).when(submit()).then([submitted()]);
  });

  it('keeps the personal fields for the personal-data store to take out before the append', () => {
    given([])
      .when(
        submit({
          comment: '  Muy poca información  ',
          contact: 'ana@example.org',
          groups: ['víctimas'],
        }),
      )
      .then([
        submitted({
          comment: 'Muy poca información',
          contact: 'ana@example.org',
          groups: ['víctimas'],
        }),
      ]);
  });

  it('evaluates a commitment or a dialogue space, whose agency answers', () => {
    given([])
      .when(submit({ target: { kind: 'commitment', commitmentId: 'cartagena-2023' } }))
      .then([submitted({ target: { kind: 'commitment', commitmentId: 'cartagena-2023' } })]);
    given([])
      .when(submit({ target: { kind: 'dialogue_space', dialogueSpaceId: 'audiencia-2023' } }))
      .then([
        submitted({
          target: { kind: 'dialogue_space', dialogueSpaceId: 'audiencia-2023' },
          agencyId: 'alcaldia',
        }),
      ]);
  });

  it('names the target that does not exist', () => {
    given([])
      .when(submit({ target: { kind: 'commitment', commitmentId: 'nope' } }))
      .thenFails(EvaluationTargetNotFound, { field: 'target.commitmentId' });
    given([])
      .when(
        submit({
          target: { kind: 'milestone', commitmentId: 'cartagena-2023', milestoneId: 'm9' },
        }),
      )
      .thenFails(EvaluationTargetNotFound, { field: 'target.milestoneId' });
    given([])
      .when(submit({ target: { kind: 'dialogue_space', dialogueSpaceId: 'nope' } }))
      .thenFails(EvaluationTargetNotFound, { field: 'target.dialogueSpaceId' });
  });

  it.each([
    [{ ratings: { clarity: 6 } }, 'ratings.clarity', 'range'],
    [{ ratings: { clarity: 0 } }, 'ratings.clarity', 'range'],
    [{ ratings: { progress: 2.5 } }, 'ratings.progress', 'integer'],
    [{ ratings: { beauty: 3 } }, 'ratings.beauty', 'not_a_field'],
    [{ ratings: {} }, 'ratings', 'required'],
    [{ territory: 'localidad-9' }, 'territory', 'one_of'],
    [{ target: { kind: 'planet' } }, 'target.kind', 'one_of'],
    [{ comment: '   ' }, 'comment', 'required'],
    [{ groups: ['a', 'a'] }, 'groups.1', 'unique'],
  ])('refuses %j naming %s', (data, field, rule) => {
    given([]).when(submit(data)).thenFails(InvalidCommand, { field, rule });
  });

  it('refuses a second submission with the same id', () => {
    given([submitted()]).when(submit()).thenFails(EvaluationAlreadySubmitted, {
      code: 'EVALUATION_ALREADY_SUBMITTED',
    });
  });
});

describe('answering an evaluation', () => {
  const answer = (text: unknown) => ({
    type: 'AnswerEvaluation' as const,
    data: { evaluationId: EVALUATION_ID, answer: text },
  });

  it('records the answer; a later one is recorded beside it', () => {
    const first = {
      type: 'EvaluationAnswered' as const,
      data: { evaluationId: EVALUATION_ID, answer: 'Publicaremos el acta', answeredAt: at },
    };
    given([submitted()]).when(answer('Publicaremos el acta')).then([first]);
    const spec = given([submitted(), first]);
    expect(spec.state).toMatchObject({ answers: 1, answer: { answer: 'Publicaremos el acta' } });
    spec.when(answer('El acta está publicada')).then([
      {
        type: 'EvaluationAnswered',
        data: { evaluationId: EVALUATION_ID, answer: 'El acta está publicada', answeredAt: at },
      },
    ]);
  });

  it('refuses an empty answer, and an evaluation that does not exist', () => {
    given([submitted()]).when(answer(' ')).thenFails(InvalidCommand, { field: 'answer' });
    given([]).when(answer('ok')).thenFails(EvaluationNotFound, { field: 'evaluationId' });
  });
});

describe('moderation without deletion', () => {
  const report = (reason: unknown, reporter: unknown = 'anon:reporter') => ({
    type: 'ReportEvaluation' as const,
    data: { evaluationId: EVALUATION_ID, reason, reporter },
  });
  const hide = {
    type: 'HideEvaluation' as const,
    data: {
      evaluationId: EVALUATION_ID,
      category: 'offensive',
      reason: 'insults a public servant',
    },
  };
  const restore = {
    type: 'RestoreEvaluation' as const,
    data: { evaluationId: EVALUATION_ID, reason: 'criticism, not insult' },
  };

  it('records a report with its reason', () => {
    given([submitted()])
      .when(report('off_topic'))
      .then([reported('off_topic', 'anon:reporter')]);
    given([submitted()])
      .when(report('rude'))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'one_of' });
  });

  it('hides automatically at the third report, under the reason reported most', () => {
    given([submitted(), reported('offensive'), reported('spam')])
      .when(report('offensive'))
      .then([
        reported('offensive', 'anon:reporter'),
        {
          type: 'EvaluationHidden',
          data: {
            evaluationId: EVALUATION_ID,
            category: 'offensive',
            reason: 'hidden automatically after 3 reports, pending review',
            automatic: true,
            hiddenAt: at,
          },
        },
      ]);
  });

  it('only records further reports of a hidden evaluation', () => {
    given([submitted(), hidden()])
      .when(report('spam'))
      .then([reported('spam', 'anon:reporter')]);
  });

  it('counts reports again from zero after a restore', () => {
    const restored = {
      type: 'EvaluationRestored' as const,
      data: { evaluationId: EVALUATION_ID, reason: 'criticism, not insult', restoredAt: at },
    };
    given([submitted(), reported(), reported(), reported(), hidden(true), restored])
      .when(report('spam'))
      .then([reported('spam', 'anon:reporter')]);
  });

  it('refuses a second report by the same reporter and records nothing', () => {
    given([submitted(), reported('spam', 'anon:ana')])
      .when(report('offensive', 'anon:ana'))
      .thenFails(EvaluationAlreadyReported, {
        code: 'EVALUATION_ALREADY_REPORTED',
        field: 'evaluationId',
      });
    // Once is once: a restore does not let the same reporter report again.
    const restored = {
      type: 'EvaluationRestored' as const,
      data: { evaluationId: EVALUATION_ID, reason: 'criticism, not insult', restoredAt: at },
    };
    given([submitted(), reported('spam', 'user-1'), hidden(), restored])
      .when(report('spam', 'user-1'))
      .thenFails(EvaluationAlreadyReported);
  });

  it('hides at the third distinct reporter, not at one reporter repeating', () => {
    given([submitted(), reported('spam', 'anon:ana'), reported('spam', 'anon:beto')])
      .when(report('offensive', 'anon:ana'))
      .thenFails(EvaluationAlreadyReported);
    given([submitted(), reported('spam', 'anon:ana'), reported('spam', 'anon:beto')])
      .when(report('spam', 'citizen-carla'))
      .then([
        reported('spam', 'citizen-carla'),
        {
          type: 'EvaluationHidden',
          data: {
            evaluationId: EVALUATION_ID,
            category: 'spam',
            reason: 'hidden automatically after 3 reports, pending review',
            automatic: true,
            hiddenAt: at,
          },
        },
      ]);
  });

  it('counts older reports without a reporter as distinct reporters', () => {
    given([submitted(), reported('spam'), reported('spam')])
      .when(report('spam', 'anon:ana'))
      .then([
        reported('spam', 'anon:ana'),
        {
          type: 'EvaluationHidden',
          data: {
            evaluationId: EVALUATION_ID,
            category: 'spam',
            reason: 'hidden automatically after 3 reports, pending review',
            automatic: true,
            hiddenAt: at,
          },
        },
      ]);
  });

  it('needs a reporter', () => {
    given([submitted()])
      .when(report('spam', null))
      .thenFails(InvalidCommand, { field: 'reporter' });
  });

  it('hides and restores with a reason, and refuses both twice', () => {
    given([submitted()]).when(hide).then([hidden()]);
    given([submitted(), hidden()]).when(hide).thenFails(EvaluationModerationConflict);
    given([submitted(), hidden()])
      .when(restore)
      .then([
        {
          type: 'EvaluationRestored',
          data: { evaluationId: EVALUATION_ID, reason: 'criticism, not insult', restoredAt: at },
        },
      ]);
    given([submitted()]).when(restore).thenFails(EvaluationModerationConflict);
    given([submitted()])
      .when({ ...hide, data: { ...hide.data, reason: '' } })
      .thenFails(InvalidCommand, { field: 'reason' });
  });

  it("keeps the answering agency in the state, for the handler's steward check", () => {
    expect(given([submitted()]).state).toMatchObject({ agencyId: AGENCY_ID });
  });
});
