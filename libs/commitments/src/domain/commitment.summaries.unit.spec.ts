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

  it('names each milestone with its new weight', () => {
    expect(
      summarizeCommitmentEvent({
        type: 'MilestoneWeightsSet',
        data: {
          commitmentId: 'c1',
          weights: [
            { milestoneId: 'm1', weight: 3 },
            { milestoneId: 'm2', weight: 1 },
          ],
          reason: 'the works weigh more',
          setAt: '2026-01-01T00:00:00Z',
        },
      }),
    ).toEqual({
      es: 'Pesos de los hitos fijados: m1 (3), m2 (1)',
      en: 'Milestone weights set: m1 (3), m2 (1)',
    });
  });

  it('names a registered action plan, its title and period', () => {
    expect(
      summarizeCommitmentEvent({
        type: 'ActionPlanRegistered',
        data: {
          actionPlanId: 'cartagena-2023',
          jurisdiction: 'Distrito de Cartagena de Indias',
          title: 'Plan de Acción Cartagena 2023',
          periodStart: '2023-01-01',
          periodEnd: '2023-12-31',
          ogpCycle: 'OGP Local 2022-2023',
          status: 'draft',
          registeredAt: '2023-01-10T00:00:00Z',
        },
      }),
    ).toEqual({
      es: 'Plan de acción cartagena-2023 registrado: «Plan de Acción Cartagena 2023», 2023-01-01 a 2023-12-31',
      en: 'Action plan cartagena-2023 registered: "Plan de Acción Cartagena 2023", 2023-01-01 to 2023-12-31',
    });
  });

  it("lists an action plan's revised fields, with its new status, and never its reason", () => {
    const revised = summarizeCommitmentEvent({
      type: 'ActionPlanRevised',
      data: {
        actionPlanId: 'p1',
        changes: { periodEnd: '2024-06-30', status: 'in_implementation' },
        reason: 'secret reason',
      },
    });
    expect(revised).toEqual({
      es: 'Plan de acción revisado: fin del periodo, estado (ahora en implementación)',
      en: 'Action plan revised: periodEnd, status (now in implementation)',
    });
    expect(
      summarizeCommitmentEvent({
        type: 'ActionPlanRevised',
        data: { actionPlanId: 'p1', changes: { title: 'Nuevo' }, reason: 'r' },
      }),
    ).toEqual({ es: 'Plan de acción revisado: título', en: 'Action plan revised: title' });
  });

  it("names each commitment with its new weight in the plan's roll-up", () => {
    expect(
      summarizeCommitmentEvent({
        type: 'CommitmentWeightsSet',
        data: {
          actionPlanId: 'p1',
          weights: [
            { commitmentId: 'c1', weight: 2 },
            { commitmentId: 'c2', weight: 5 },
          ],
          reason: 'r',
          setAt: '2026-01-01T00:00:00Z',
        },
      }),
    ).toEqual({
      es: 'Pesos de los compromisos en el plan fijados: c1 (2), c2 (5)',
      en: 'Commitment weights in the plan set: c1 (2), c2 (5)',
    });
  });

  it('knows nothing of another context event', () => {
    expect(summarizeCommitmentEvent({ type: 'BallotCast', data: {} })).toBeUndefined();
  });
});
