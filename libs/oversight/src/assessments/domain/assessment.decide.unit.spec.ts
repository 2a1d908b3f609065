import { describe, expect, it } from '@jest/globals';
import { fold, InvalidCommand } from '#kernel';
import { OGP_VALUES, validEvidence } from '#commitments';
import {
  COMMITMENT_ID,
  given,
  recordCommand,
  recordedEvent,
  REPORT,
  REPORT_PDF,
  STREAM_ID,
} from '../../../test/assessment.fixtures.js';
import { assessmentDecider } from './assessment.decide.js';
import { assessmentStream, assessmentStreamId } from './assessment.events.js';
import { currentAssessment } from './assessment.state.js';

const decider = assessmentDecider({ ogpValues: OGP_VALUES, evidence: validEvidence });
const REASON = 'El MRI corrigió el informe tras la réplica de la Alcaldía.';

describe('when the report has no assessment yet', () => {
  it('records the first, numbered 1, with every rating as given', () => {
    given([])
      .when(recordCommand())
      .then([recordedEvent(1)]);
  });

  it('trims text and lower-cases an evidence hash, as commitments record evidence', () => {
    given([])
      .when(
        recordCommand({
          justification:
            '  Se publicaron los informes trimestrales; faltó la audiencia de cierre. ',
          scheme: { name: ' OGP IRM ', version: '2021' },
          evidence: [{ ...REPORT_PDF, sha256: 'A'.repeat(64) }],
        }),
      )
      .then([recordedEvent(1)]);
  });

  it('records a commitment not relevant to the lens with no OGP value', () => {
    const lens = { relevant: false, values: [] };
    given([])
      .when(recordCommand({ openGovernmentLens: lens }))
      .then([recordedEvent(1, { openGovernmentLens: lens })]);
    given([])
      .when(recordCommand({ openGovernmentLens: { relevant: false } }))
      .then([recordedEvent(1, { openGovernmentLens: lens })]);
  });

  it('refuses a reason, which only a superseding assessment gives', () => {
    given([])
      .when(recordCommand({ reason: REASON }))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'not_a_field' });
  });

  it('keeps each report of a commitment in a stream of its own', () => {
    expect(assessmentStream(assessmentStreamId(COMMITMENT_ID, REPORT))).toBe(
      `assessment-${STREAM_ID}`,
    );
    expect(
      assessmentStreamId(COMMITMENT_ID, { kind: 'action_plan_review', id: REPORT.id }),
    ).not.toBe(STREAM_ID);
  });
});

describe('every field is checked, and the error names it', () => {
  const refusals: [string, Parameters<typeof recordCommand>[0], string, string][] = [
    ['a missing commitment', { commitmentId: undefined }, 'commitmentId', 'required'],
    ['a malformed commitment id', { commitmentId: 'a.b' }, 'commitmentId', 'format'],
    ['a missing report', { report: undefined }, 'report', 'format'],
    ['an unknown report kind', { report: { kind: 'midterm', id: 'x' } }, 'report.kind', 'one_of'],
    ['a missing report id', { report: { kind: 'results_report' } }, 'report.id', 'required'],
    [
      'a malformed report id',
      { report: { kind: 'results_report', id: 'a b' } },
      'report.id',
      'format',
    ],
    ['a missing scheme', { scheme: undefined }, 'scheme', 'format'],
    ['a blank scheme name', { scheme: { name: ' ', version: '2021' } }, 'scheme.name', 'required'],
    ['a missing scheme version', { scheme: { name: 'OGP IRM' } }, 'scheme.version', 'required'],
    [
      'a scheme version too long',
      { scheme: { name: 'OGP IRM', version: 'v'.repeat(201) } },
      'scheme.version',
      'too_long',
    ],
    ['a missing verifiability', { verifiability: undefined }, 'verifiability', 'required'],
    ['an unknown verifiability', { verifiability: 'partly' }, 'verifiability', 'one_of'],
    ['a missing lens', { openGovernmentLens: undefined }, 'openGovernmentLens', 'format'],
    [
      'a lens without relevance',
      { openGovernmentLens: { values: ['transparency'] } },
      'openGovernmentLens.relevant',
      'required',
    ],
    [
      'a relevance that is not true or false',
      { openGovernmentLens: { relevant: 'yes', values: ['transparency'] } },
      'openGovernmentLens.relevant',
      'format',
    ],
    [
      'an unknown OGP value',
      { openGovernmentLens: { relevant: true, values: ['transparency', 'efficiency'] } },
      'openGovernmentLens.values.1',
      'one_of',
    ],
    [
      'an OGP value twice',
      { openGovernmentLens: { relevant: true, values: ['inclusion', 'inclusion'] } },
      'openGovernmentLens.values.1',
      'unique',
    ],
    [
      'a relevant lens with no value',
      { openGovernmentLens: { relevant: true, values: [] } },
      'openGovernmentLens.values',
      'required',
    ],
    [
      'values for a lens that is not relevant',
      { openGovernmentLens: { relevant: false, values: ['transparency'] } },
      'openGovernmentLens.values',
      'not_a_field',
    ],
    ['a missing potential', { potentialForResults: undefined }, 'potentialForResults', 'required'],
    [
      'an unknown potential',
      { potentialForResults: 'transformative' },
      'potentialForResults',
      'one_of',
    ],
    ['a missing completion', { completion: undefined }, 'completion', 'required'],
    ['an unknown completion', { completion: 'half' }, 'completion', 'one_of'],
    ['a missing result', { didItOpenGovernment: undefined }, 'didItOpenGovernment', 'required'],
    ['an unknown result', { didItOpenGovernment: 'significant' }, 'didItOpenGovernment', 'one_of'],
    ['a missing justification', { justification: undefined }, 'justification', 'required'],
    ['a blank justification', { justification: '   ' }, 'justification', 'required'],
    ['missing evidence', { evidence: undefined }, 'evidence', 'required'],
    ['no evidence', { evidence: [] }, 'evidence', 'required'],
    ['evidence that is not a list', { evidence: REPORT_PDF }, 'evidence', 'format'],
    [
      'more than 20 pieces of evidence',
      { evidence: Array.from({ length: 21 }, () => REPORT_PDF) },
      'evidence',
      'too_many',
    ],
    [
      'evidence with a bad hash',
      { evidence: [REPORT_PDF, { ...REPORT_PDF, sha256: 'abc' }] },
      'evidence.1.sha256',
      'format',
    ],
    [
      'evidence that is not a link or a document',
      { evidence: [{ ...REPORT_PDF, kind: 'video' }] },
      'evidence.0.kind',
      'one_of',
    ],
    ['a blank reason', { reason: ' ' }, 'reason', 'required'],
  ];

  it.each(refusals)('refuses %s', (_what, data, field, rule) => {
    given([]).when(recordCommand(data)).thenFails(InvalidCommand, { field, rule });
  });

  it('accepts every listed value of every rating', () => {
    const values = {
      verifiability: ['verifiable', 'not_verifiable'],
      potentialForResults: ['unclear', 'modest', 'substantial'],
      completion: ['no_evidence_available', 'not_started', 'limited', 'substantial', 'complete'],
      didItOpenGovernment: ['worsened', 'did_not_change', 'marginal', 'major', 'outstanding'],
    };
    for (const [field, allowed] of Object.entries(values)) {
      for (const value of allowed) {
        given([])
          .when(recordCommand({ [field]: value }))
          .then([recordedEvent(1, { [field]: value })]);
      }
    }
    for (const kind of ['action_plan_review', 'results_report']) {
      const report = { kind, id: 'irm-2023' };
      const [event] = decider.decide(recordCommand({ report }), decider.initialState, {
        now: new Date(),
      });
      expect(event.data.report).toEqual(report);
      expect(event.data.assessmentId).toBe(`${COMMITMENT_ID}.${kind}.irm-2023.1`);
    }
  });
});

describe('when the report already has an assessment', () => {
  it('supersedes the current one, naming it, with the reason', () => {
    given([recordedEvent(1)])
      .when(recordCommand({ completion: 'limited', reason: REASON }))
      .then([
        recordedEvent(2, { completion: 'limited', supersedes: `${STREAM_ID}.1`, reason: REASON }),
      ]);
  });

  it('supersedes the last of several, and counts on from it', () => {
    const second = recordedEvent(2, {
      completion: 'limited',
      supersedes: `${STREAM_ID}.1`,
      reason: REASON,
    });
    given([recordedEvent(1), second])
      .when(recordCommand({ completion: 'complete', reason: 'Nueva evidencia de cierre.' }))
      .then([
        recordedEvent(3, {
          completion: 'complete',
          supersedes: `${STREAM_ID}.2`,
          reason: 'Nueva evidencia de cierre.',
        }),
      ]);
  });

  it('refuses one without a reason, naming the assessment it would supersede', () => {
    const error = given([recordedEvent(1)])
      .when(recordCommand({ completion: 'limited' }))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'required' });
    expect(error.message).toContain(`${STREAM_ID}.1`);
  });

  it('refuses one that changes nothing, even with a reason', () => {
    given([recordedEvent(1)])
      .when(recordCommand({ reason: REASON }))
      .thenFails(InvalidCommand, { field: 'input', rule: 'no_change' });
  });

  it('takes a change of evidence alone as a change', () => {
    const evidence = [REPORT_PDF, { ...REPORT_PDF, sha256: 'b'.repeat(64) }];
    given([recordedEvent(1)])
      .when(recordCommand({ evidence, reason: REASON }))
      .then([recordedEvent(2, { evidence, supersedes: `${STREAM_ID}.1`, reason: REASON })]);
  });

  it('still checks every field first', () => {
    given([recordedEvent(1)])
      .when(recordCommand({ completion: 'done', reason: REASON }))
      .thenFails(InvalidCommand, { field: 'completion', rule: 'one_of' });
  });
});

describe('folding', () => {
  it('keeps every assessment, oldest first, the last one current', () => {
    const state = fold(decider, [
      { ...recordedEvent(1), id: 'e1' },
      {
        ...recordedEvent(2, {
          completion: 'limited',
          supersedes: `${STREAM_ID}.1`,
          reason: REASON,
        }),
        id: 'e2',
      },
    ]);
    expect(state.status).toBe('assessed');
    if (state.status !== 'assessed') return;
    expect(state.commitmentId).toBe(COMMITMENT_ID);
    expect(state.report).toEqual(REPORT);
    expect(state.assessments.map((a) => [a.assessmentId, a.ordinal, a.eventId])).toEqual([
      [`${STREAM_ID}.1`, 1, 'e1'],
      [`${STREAM_ID}.2`, 2, 'e2'],
    ]);
    expect(currentAssessment(state)).toMatchObject({
      completion: 'limited',
      supersedes: `${STREAM_ID}.1`,
      reason: REASON,
    });
  });
});
