import { describe, it } from '@jest/globals';
import { InvalidCommand } from '#kernel';
import {
  ballot,
  CLOSES_AT,
  EXERCISE_ID,
  given,
  openCommand,
  opened,
  OPENS_AT,
  TOPICS,
} from '../../../test/prioritization.fixtures.js';
import {
  PrioritizationAlreadyClosed,
  PrioritizationAlreadyOpened,
  PrioritizationNotFound,
  PrioritizationNotOpenYet,
  PrioritizationStillOpen,
  PrioritizationVotingEnded,
} from './prioritization.errors.js';

const cast = (participant: string, ranking: string[]) => ({
  type: 'CastBallot' as const,
  data: { prioritizationId: EXERCISE_ID, participant, ranking },
});
const close = { type: 'ClosePrioritization' as const, data: { prioritizationId: EXERCISE_ID } };
const afterClosing = { now: new Date('2023-03-11T00:00:00.000Z') };

describe('opening a prioritization', () => {
  it('publishes the topics, the window and the Borda rule', () => {
    given([]).when(openCommand()).then([opened()]);
  });

  it('records times in UTC', () => {
    given([])
      .when(openCommand({ opensAt: '2023-02-20T09:00:00-05:00' }))
      .then([{ ...opened(), data: { ...opened().data, opensAt: OPENS_AT } }]);
  });

  it('refuses a second opening of the same id', () => {
    given([opened()]).when(openCommand()).thenFails(PrioritizationAlreadyOpened, {
      code: 'PRIORITIZATION_ALREADY_OPENED',
    });
  });

  it('names the field of a bad input', () => {
    given([])
      .when(openCommand({ topics: [TOPICS[0], { id: 'presupuesto', title: 'Otra vez' }] }))
      .thenFails(InvalidCommand, { field: 'topics.1', rule: 'unique' });
    given([])
      .when(openCommand({ topics: [TOPICS[0]] }))
      .thenFails(InvalidCommand, { field: 'topics', rule: 'required' });
    given([])
      .when(openCommand({ topics: [TOPICS[0], { id: 'bad id!', title: 'x' }] }))
      .thenFails(InvalidCommand, { field: 'topics.1.id', rule: 'format' });
    given([])
      .when(openCommand({ closesAt: OPENS_AT }))
      .thenFails(InvalidCommand, { field: 'closesAt', rule: 'not_before_start' });
    given([])
      .when(openCommand({ opensAt: 'tomorrow' }))
      .thenFails(InvalidCommand, { field: 'opensAt', rule: 'valid_timestamp' });
    given([])
      .when(openCommand({ method: 'plurality' }))
      .thenFails(InvalidCommand, { field: 'method', rule: 'one_of' });
    given([])
      .when(openCommand({ milestoneId: 'm2' }))
      .thenFails(InvalidCommand, { field: 'commitmentId', rule: 'required' });
  });

  it('refuses a closing time already past', () => {
    given([])
      .when(openCommand(), afterClosing)
      .thenFails(InvalidCommand, { field: 'closesAt', rule: 'range' });
  });
});

describe('casting a ballot', () => {
  it('records the ranking and who cast it', () => {
    given([opened()])
      .when(cast('anon:x', ['deuda', 'plan']))
      .then([ballot('anon:x', ['deuda', 'plan'])]);
  });

  it("replaces the participant's earlier ballot, naming it", () => {
    given([opened(), ballot('anon:x', ['deuda']), ballot('anon:y', ['plan'])])
      .when(cast('anon:x', ['plan', 'deuda']))
      .then([ballot('anon:x', ['plan', 'deuda'], 'event-2')]);
  });

  it('names an unknown or repeated topic', () => {
    given([opened()])
      .when(cast('anon:x', ['deuda', 'salud']))
      .thenFails(InvalidCommand, { field: 'ranking.1', rule: 'one_of' });
    given([opened()])
      .when(cast('anon:x', ['deuda', 'plan', 'deuda']))
      .thenFails(InvalidCommand, { field: 'ranking.2', rule: 'unique' });
    given([opened()])
      .when(cast('anon:x', []))
      .thenFails(InvalidCommand, { field: 'ranking', rule: 'required' });
  });

  it('is refused before the opening time and from the closing time', () => {
    given([opened()])
      .when(cast('anon:x', ['deuda']), { now: new Date('2023-02-20T13:59:59.999Z') })
      .thenFails(PrioritizationNotOpenYet, { opensAt: OPENS_AT });
    given([opened()])
      .when(cast('anon:x', ['deuda']), { now: new Date(CLOSES_AT) })
      .thenFails(PrioritizationVotingEnded, { closesAt: CLOSES_AT });
  });

  it('is refused once closed, and for an exercise that does not exist', () => {
    given([
      opened(),
      {
        type: 'PrioritizationClosed',
        data: { prioritizationId: EXERCISE_ID, method: 'borda', countedBallots: [], standings: [] },
      },
    ])
      .when(cast('anon:x', ['deuda']))
      .thenFails(PrioritizationVotingEnded);
    given([])
      .when(cast('anon:x', ['deuda']))
      .thenFails(PrioritizationNotFound);
  });
});

describe('closing a prioritization', () => {
  it("counts each participant's last ballot from the log and records the result", () => {
    // n = 4: x's last ballot (event-4) plan 3, deuda 2; y's (event-3) deuda 3, presupuesto 2.
    given([
      opened(),
      ballot('anon:x', ['presupuesto']),
      ballot('anon:y', ['deuda', 'presupuesto']),
      ballot('anon:x', ['plan', 'deuda'], 'event-2'),
    ])
      .when(close, afterClosing)
      .then([
        {
          type: 'PrioritizationClosed',
          data: {
            prioritizationId: EXERCISE_ID,
            method: 'borda',
            countedBallots: ['event-3', 'event-4'],
            standings: [
              { topicId: 'deuda', points: 5, firstPlaces: 1, rank: 1 },
              { topicId: 'plan', points: 3, firstPlaces: 1, rank: 2 },
              { topicId: 'presupuesto', points: 2, firstPlaces: 0, rank: 3 },
              { topicId: 'contratacion', points: 0, firstPlaces: 0, rank: 4 },
            ],
          },
        },
      ]);
  });

  it('is refused before the closing time, twice, or for no exercise', () => {
    given([opened()]).when(close).thenFails(PrioritizationStillOpen, { closesAt: CLOSES_AT });
    given([
      opened(),
      {
        type: 'PrioritizationClosed',
        data: { prioritizationId: EXERCISE_ID, method: 'borda', countedBallots: [], standings: [] },
      },
    ])
      .when(close, afterClosing)
      .thenFails(PrioritizationAlreadyClosed);
    given([]).when(close, afterClosing).thenFails(PrioritizationNotFound);
  });
});
