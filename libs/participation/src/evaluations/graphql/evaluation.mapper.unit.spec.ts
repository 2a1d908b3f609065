import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '#platform';
import type { SubmittedEvaluation } from '../domain/index.js';
import { evaluationCursor, evaluationPositionOf } from './evaluation-cursors.js';
import {
  evaluationChanges,
  evaluationFromState,
  moderationPlaceholder,
} from './evaluation.mapper.js';

const submitted: SubmittedEvaluation = {
  status: 'submitted',
  evaluationId: 'ev-1',
  target: { kind: 'milestone', commitmentId: 'c', milestoneId: 'm6' },
  agencyId: 'alcaldia-cartagena',
  ratings: { clarity: 4, dialogue_usefulness: 2 },
  territory: 'ucg-3',
  submittedAt: '2023-12-07T15:00:00.000Z',
  dueDate: '2024-01-02',
  answers: 0,
  reports: 0,
  reporters: [],
  reportsSinceReview: 0,
  reasonsSinceReview: {},
  moderation: { state: 'visible' },
};
const personal = { comment: null, contact: null, groups: null };

describe('the evaluation as the API shows it', () => {
  it('works out the answer state on the day asked about', () => {
    const before = evaluationFromState(submitted, 1, personal, new Date('2024-01-02T20:00:00Z'));
    const after = evaluationFromState(submitted, 1, personal, new Date('2024-01-03T06:00:00Z'));
    expect([before.answerState, after.answerState]).toEqual(['pending', 'overdue']);
    expect(before.ratings).toEqual({ clarity: 4, progress: null, dialogueUsefulness: 2 });
  });

  it('shows a hidden one as a placeholder with the date in Colombia, without ratings', () => {
    const hidden = evaluationFromState(
      {
        ...submitted,
        moderation: {
          state: 'hidden',
          category: 'spam',
          reason: 'r',
          automatic: true,
          hiddenAt: '2023-12-09T02:00:00.000Z',
        },
      },
      4,
      personal,
      new Date(),
    );
    expect(hidden).toMatchObject({
      ratings: null,
      hidden: true,
      placeholder: 'moderated on 2023-12-08: spam',
    });
    expect(moderationPlaceholder(new Date('2023-12-09T05:00:00Z'), 'off_topic')).toBe(
      'moderated on 2023-12-09: off_topic',
    );
  });

  it('says what an answer changed', () => {
    const answered = {
      ...submitted,
      answers: 1,
      answer: { eventId: 'e2', answer: 'Gracias', answeredAt: '2023-12-10T15:00:00.000Z' },
    };
    expect(evaluationChanges({ before: submitted, after: answered })).toEqual([
      { path: '/answer', before: null, after: 'Gracias' },
      { path: '/answers', before: 0, after: 1 },
    ]);
  });

  it('pages by cursor and refuses a cursor it did not make, on after', () => {
    expect(evaluationPositionOf(evaluationCursor(1234))).toBe(1234);
    expect(() => evaluationPositionOf('bm9wZQ')).toThrow(InvalidInputError);
  });
});
