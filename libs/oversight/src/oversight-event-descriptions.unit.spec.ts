import { describe, expect, it } from '@jest/globals';
import { commitmentsContext } from '#commitments';
import type { RecordedEvent } from '#event-store';
import { EventDescriptions } from '#platform';
import { OVERSIGHT_EVENT_DESCRIPTIONS } from './oversight-event-descriptions.js';

const event = (type: string, stream: string, data: RecordedEvent['data']): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000001',
  stream,
  streamVersion: 1,
  position: 0,
  type,
  schemaVersion: 1,
  data,
  metadata: { actor: null, occurredAt: '2026-01-01T00:00:00Z', recordedAt: '2026-01-01T00:00:00Z' },
});

describe('OVERSIGHT_EVENT_DESCRIPTIONS', () => {
  it('describes assessment and red-flag justification streams, with no state to diff', () => {
    expect(
      OVERSIGHT_EVENT_DESCRIPTIONS.streams.map((s) => [s.prefix, s.name, Boolean(s.state)]),
    ).toEqual([
      ['assessment-', 'assessment', false],
      ['red-flag-', 'redFlag', false],
    ]);
  });

  it('names the flag a justification is about, never its reason', () => {
    const summary = OVERSIGHT_EVENT_DESCRIPTIONS.summarize(
      event('RedFlagJustified', 'red-flag-commitment:c1', {
        flagId: 'CF-08/commitment:c1#1',
        reason: 'secreto',
        justifiedAt: '2026-01-01T00:00:00Z',
      }),
    );
    expect(summary).toEqual({
      es: 'Justificación de la alerta CF-08/commitment:c1#1',
      en: 'Red flag CF-08/commitment:c1#1 justified',
    });
    expect(JSON.stringify(summary)).not.toContain('secreto');
  });

  it('puts assessments under oversight and action plans under commitments', () => {
    const descriptions = new EventDescriptions([
      commitmentsContext,
      { name: 'oversight', eventDescriptions: OVERSIGHT_EVENT_DESCRIPTIONS },
    ]);
    expect(descriptions.contextOf('assessment-c1.results_report.r1')).toBe('oversight');
    expect(descriptions.contextOf('action-plan-p1')).toBe('commitments');
    expect(descriptions.prefixesOf('oversight')).toEqual(['assessment-', 'red-flag-']);
    expect(descriptions.contextOf('red-flag-commitment:c1')).toBe('oversight');
    expect(descriptions.prefixesOf('commitments')).toContain('action-plan-');
    expect(
      descriptions.summarize(
        event('IndependentAssessmentRecorded', 'assessment-c1.results_report.r1', {
          commitmentId: 'c1',
          report: { kind: 'results_report', id: 'r1' },
          completion: 'complete',
        }),
      ).en,
    ).toBe('Independent assessment of commitment c1 (results report r1): complete');
    expect(
      descriptions.summarize(
        event('CommitmentWeightsSet', 'action-plan-p1', {
          actionPlanId: 'p1',
          weights: [{ commitmentId: 'c1', weight: 2 }],
        }),
      ).es,
    ).toBe('Pesos de los compromisos en el plan fijados: c1 (2)');
  });
});
