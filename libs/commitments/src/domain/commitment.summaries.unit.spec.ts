import { describe, expect, it } from '@jest/globals';
import { summarizeCommitmentEvent } from './commitment.summaries.js';

describe('summarizeCommitmentEvent', () => {
  it('names the milestone and its new dates when rescheduled', () => {
    expect(
      summarizeCommitmentEvent({
        type: 'MilestoneRescheduled',
        data: {
          commitmentId: 'c1',
          milestoneId: 'm2',
          plannedStart: '2026-02-01',
          plannedEnd: '2026-06-30',
          reason: 'rain',
        },
      }),
    ).toEqual({
      es: 'Hito m2 reprogramado: 2026-02-01 a 2026-06-30',
      en: 'Milestone m2 rescheduled: 2026-02-01 to 2026-06-30',
    });
  });

  it('names the budget line, its phase and the amount in pesos', () => {
    expect(
      summarizeCommitmentEvent({
        type: 'BudgetRecorded',
        data: {
          commitmentId: 'c1',
          lineId: 'rubro-1',
          phase: 'approved',
          amountCop: 125000000,
          fundingSource: 'SGP',
        },
      }),
    ).toEqual({
      es: 'Presupuesto aprobado de la línea rubro-1: COP 125.000.000',
      en: 'Budget line rubro-1, approved: COP 125.000.000',
    });
  });

  it('lists the revised fields, in Spanish names in Spanish', () => {
    expect(
      summarizeCommitmentEvent({
        type: 'CommitmentRevised',
        data: { commitmentId: 'c1', changes: { title: 'x', endDate: '2026-12-31' }, reason: 'r' },
      }),
    ).toEqual({
      es: 'Compromiso revisado: título, fecha de fin',
      en: 'Commitment revised: title, endDate',
    });
  });

  it('tells a retraction from a correction', () => {
    const data = {
      commitmentId: 'c1',
      correctedEventId: 'e',
      correctedEventType: 'MilestoneProgressReported',
      reason: 'typo',
      correctedAt: '2026-01-01T00:00:00Z',
    };
    expect(summarizeCommitmentEvent({ type: 'EventCorrected', data })?.en).toBe(
      'Retraction of a MilestoneProgressReported event',
    );
  });

  it('knows nothing of another context event', () => {
    expect(summarizeCommitmentEvent({ type: 'BallotCast', data: {} })).toBeUndefined();
  });
});
