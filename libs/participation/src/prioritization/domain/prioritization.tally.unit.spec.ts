import { describe, expect, it } from '@jest/globals';
import { ballot, opened } from '../../../test/prioritization.fixtures.js';
import { bordaCount } from './borda.js';
import {
  tallyPrioritization,
  UnreadableTallyEvent,
  type TallyEvent,
} from './prioritization.tally.js';

const logged = (events: { type: string; data: object }[]): TallyEvent[] =>
  events.map((event, i) => ({ id: `event-${i + 1}`, schemaVersion: 1, ...event }));

const ballots = [
  ballot('anon:x', ['presupuesto']),
  ballot('anon:y', ['deuda', 'presupuesto']),
  ballot('anon:x', ['plan', 'deuda'], 'event-2'),
];
const topics = ['presupuesto', 'deuda', 'contratacion', 'plan'];
const honest = bordaCount(topics, [
  ['deuda', 'presupuesto'],
  ['plan', 'deuda'],
]);
const closed = (standings = honest, countedBallots = ['event-3', 'event-4']) => ({
  type: 'PrioritizationClosed',
  data: { prioritizationId: 'temas-2023', method: 'borda', countedBallots, standings },
});

describe('recounting a prioritization from its events', () => {
  it('matches a result recorded from the ballots', () => {
    const tally = tallyPrioritization(logged([opened(), ...ballots, closed()]));
    expect(tally).toMatchObject({ outcome: 'match', recount: { standings: honest } });
  });

  it('finds a result computed differently: counting every ballot, replaced ones included', () => {
    const everyBallot = bordaCount(topics, [
      ['presupuesto'],
      ['deuda', 'presupuesto'],
      ['plan', 'deuda'],
    ]);
    const tally = tallyPrioritization(
      logged([opened(), ...ballots, closed(everyBallot, ['event-2', 'event-3', 'event-4'])]),
    );
    expect(tally).toMatchObject({
      outcome: 'mismatch',
      recount: { standings: honest },
      recorded: { standings: everyBallot },
    });
  });

  it('finds the same standings claimed from other ballots', () => {
    const tally = tallyPrioritization(logged([opened(), ...ballots, closed(honest, ['event-3'])]));
    expect(tally.outcome).toBe('mismatch');
  });

  it('says when there is no result yet, or no exercise', () => {
    expect(tallyPrioritization(logged([opened(), ...ballots])).outcome).toBe('not_closed');
    expect(tallyPrioritization([]).outcome).toBe('not_found');
  });

  it('refuses an event it cannot read rather than miscount', () => {
    const events = logged([opened(), ...ballots]);
    events[1] = { ...events[1], schemaVersion: 2 };
    expect(() => tallyPrioritization(events)).toThrow(UnreadableTallyEvent);
  });
});
