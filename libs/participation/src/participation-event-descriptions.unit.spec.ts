import { describe, expect, it } from '@jest/globals';
import {
  PARTICIPATION_EVENT_DESCRIPTIONS,
  summarizeParticipationEvent,
} from './participation-event-descriptions.js';

describe('summarizeParticipationEvent', () => {
  it('never quotes what a citizen wrote in an evaluation', () => {
    const summary = summarizeParticipationEvent({
      type: 'EvaluationSubmitted',
      data: { evaluationId: 'e1', comment: 'pd:placeholder', contact: 'pd:other', ratings: {} },
    });
    expect(summary).toEqual({
      es: 'Evaluación ciudadana enviada',
      en: 'Citizen evaluation submitted',
    });
  });

  it('names an improvement action, its state and progress', () => {
    expect(
      summarizeParticipationEvent({
        type: 'ImprovementActionReported',
        data: { actionId: 'a2', status: 'in_progress', percent: 40, evidence: [] },
      }),
    ).toEqual({
      es: 'Acción de mejora a2: en curso, 40 %',
      en: 'Improvement action a2: in progress, 40%',
    });
  });

  it('tells a replaced ballot from a first one', () => {
    expect(
      summarizeParticipationEvent({ type: 'BallotCast', data: { replaces: 'b1', ranking: [] } })
        ?.en,
    ).toBe('Ballot replaced');
  });

  it('knows nothing of a commitment event', () => {
    expect(summarizeParticipationEvent({ type: 'MilestoneAdded', data: {} })).toBeUndefined();
  });

  it('describes its three stream kinds, each with state to diff', () => {
    expect(
      PARTICIPATION_EVENT_DESCRIPTIONS.streams.map((s) => [s.prefix, s.name, Boolean(s.state)]),
    ).toEqual([
      ['dialogue-space-', 'dialogueSpace', true],
      ['evaluation-', 'evaluation', true],
      ['prioritization-', 'prioritization', true],
    ]);
  });
});
