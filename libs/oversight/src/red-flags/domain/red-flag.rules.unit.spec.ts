import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_THRESHOLDS,
  evaluateAll,
  foldAll,
  InvalidThresholds,
  RULE_CODES,
  RULES,
  thresholdsFrom,
  type FlagSourceEvent,
  type RedFlag,
  type RuleCode,
  type Thresholds,
} from './index.js';

const C = 'c1';

/** A log written event by event, each at the business time given (recorded at the same time). */
class Log {
  readonly events: FlagSourceEvent[] = [];

  add(stream: string, type: string, at: string, data: object, recordedAt: string = at): this {
    this.events.push({
      position: this.events.length,
      stream,
      type,
      data,
      metadata: { occurredAt: at, recordedAt },
    });
    return this;
  }

  commitment(type: string, at: string, data: object = {}, recordedAt?: string): this {
    return this.add(`commitment-${C}`, type, at, { commitmentId: C, ...data }, recordedAt);
  }

  flags(asOf: string, thresholds: Thresholds = DEFAULT_THRESHOLDS): RedFlag[] {
    return evaluateAll(foldAll(this.events), asOf, thresholds);
  }

  of(rule: RuleCode, asOf = '2026-01-01T00:00:00.000Z'): RedFlag[] {
    return this.flags(asOf).filter((flag) => flag.rule === rule);
  }
}

/** A commitment from 1 Feb to 30 Jun 2025, published and started, with one milestone. */
function started(endDate = '2025-06-30'): Log {
  return new Log()
    .commitment('CommitmentRegistered', '2025-01-10T15:00:00.000Z', {
      startDate: '2025-02-01',
      endDate,
      leadAgency: { id: 'sec-hacienda', name: 'Secretaría de Hacienda', offices: [] },
    })
    .commitment('MilestoneAdded', '2025-01-10T15:01:00.000Z', {
      milestoneId: 'm1',
      plannedStart: '2025-02',
      plannedEnd: '2025-05',
    })
    .commitment('CommitmentPublished', '2025-01-11T15:00:00.000Z')
    .commitment('MilestoneProgressReported', '2025-02-15T15:00:00.000Z', {
      milestoneId: 'm1',
      percent: 10,
      evidence: [{ kind: 'link' }],
    })
    .commitment('CommitmentStarted', '2025-02-15T15:00:00.000Z');
}

const reschedule = (log: Log, at: string, plannedEnd: string) =>
  log.commitment('MilestoneRescheduled', at, {
    milestoneId: 'm1',
    plannedStart: '2025-02',
    plannedEnd,
    reason: 'r',
  });

describe('the rules catalog', () => {
  it('publishes every code once, each with a version, titles and reasons in both languages', () => {
    expect(RULES.map((rule) => rule.code)).toEqual([...RULE_CODES]);
    for (const rule of RULES) {
      expect(rule.version).toBeGreaterThanOrEqual(1);
      expect(rule.title.es.length).toBeGreaterThan(0);
      expect(rule.why.en.length).toBeGreaterThan(0);
    }
  });

  it('takes thresholds over the defaults and refuses unknown keys and values out of range', () => {
    expect(thresholdsFrom({ inactivityDays: 60 })).toEqual({
      ...DEFAULT_THRESHOLDS,
      inactivityDays: 60,
    });
    expect(() => thresholdsFrom({ inactivity: 60 })).toThrow(InvalidThresholds);
    expect(() => thresholdsFrom({ inactivityDays: 10 })).toThrow(/inactivityDays must be/);
    expect(() => thresholdsFrom({ minNoticeDays: 2.5 })).toThrow(/minNoticeDays/);
    expect(() => thresholdsFrom([1])).toThrow(InvalidThresholds);
  });
});

describe('CF-01 milestone rescheduled more than once', () => {
  it('flags the second reschedule, with both as evidence', () => {
    const log = started();
    reschedule(log, '2025-03-01T15:00:00.000Z', '2025-06');
    reschedule(log, '2025-04-01T15:00:00.000Z', '2025-06');
    const [flag] = log.of('CF-01');
    expect(flag).toMatchObject({
      id: `CF-01/commitment:${C}/milestone:m1#1`,
      raisedAt: '2025-04-01T15:00:00.000Z',
      state: 'open',
      evidence: [5, 6],
      subject: { kind: 'milestone', id: 'm1', commitmentIds: [C] },
    });
  });

  it('does not flag a single reschedule', () => {
    const log = started();
    reschedule(log, '2025-03-01T15:00:00.000Z', '2025-06');
    expect(log.of('CF-01')).toEqual([]);
  });
});

describe('CF-02 milestone planned past the end', () => {
  it("flags a milestone moved past the commitment's end, and closes when the end moves", () => {
    const log = started();
    reschedule(log, '2025-03-01T15:00:00.000Z', '2025-07');
    log.commitment('CommitmentRevised', '2025-03-05T15:00:00.000Z', {
      changes: { endDate: '2025-07-31' },
      reason: 'r',
    });
    expect(log.of('CF-02')).toEqual([
      expect.objectContaining({
        raisedAt: '2025-03-01T15:00:00.000Z',
        closedAt: '2025-03-05T15:00:00.000Z',
        state: 'closed',
        evidence: [5, 6],
      }),
    ]);
  });

  it('does not flag a milestone ending on the last day', () => {
    const log = started();
    reschedule(log, '2025-03-01T15:00:00.000Z', '2025-06-30');
    expect(log.of('CF-02')).toEqual([]);
  });
});

describe('CF-03 retroactive change', () => {
  it('flags an event backdated by more than the threshold', () => {
    const log = started();
    log.commitment(
      'MilestoneProgressReported',
      '2025-03-01T15:00:00.000Z',
      { milestoneId: 'm1', percent: 20 },
      '2025-03-20T15:00:00.000Z',
    );
    expect(log.of('CF-03')).toEqual([
      expect.objectContaining({ raisedAt: '2025-03-01T15:00:00.000Z', evidence: [5] }),
    ]);
  });

  it("flags an event whose business time is before its stream's previous change", () => {
    const log = started();
    log.commitment('MilestoneProgressReported', '2025-02-14T15:00:00.000Z', {
      milestoneId: 'm1',
      percent: 20,
    });
    expect(log.of('CF-03')).toHaveLength(1);
  });

  it('does not flag a change recorded within the threshold', () => {
    const log = started();
    log.commitment(
      'MilestoneProgressReported',
      '2025-03-01T15:00:00.000Z',
      { milestoneId: 'm1', percent: 20 },
      '2025-03-05T15:00:00.000Z',
    );
    expect(log.of('CF-03')).toEqual([]);
  });
});

const budget = (log: Log, at: string, lineId: string, phase: string, amountCop: number) =>
  log.commitment('BudgetRecorded', at, { lineId, phase, amountCop, fundingSource: 'SGP' });

describe('CF-04 approved budget reduced', () => {
  it('flags a lower approved amount on a line', () => {
    const log = started();
    budget(log, '2025-03-01T15:00:00.000Z', 'l1', 'approved', 1000);
    budget(log, '2025-04-01T15:00:00.000Z', 'l1', 'approved', 600);
    expect(log.of('CF-04')).toEqual([
      expect.objectContaining({
        subject: { kind: 'budget_line', id: 'l1', commitmentIds: [C] },
        raisedAt: '2025-04-01T15:00:00.000Z',
        evidence: [6],
      }),
    ]);
  });

  it('does not flag an increase', () => {
    const log = started();
    budget(log, '2025-03-01T15:00:00.000Z', 'l1', 'approved', 1000);
    budget(log, '2025-04-01T15:00:00.000Z', 'l1', 'approved', 1200);
    expect(log.of('CF-04')).toEqual([]);
  });
});

describe('CF-05 executed above approved', () => {
  it('flags execution above approval, closed when approval catches up', () => {
    const log = started();
    budget(log, '2025-03-01T15:00:00.000Z', 'l1', 'approved', 1000);
    budget(log, '2025-04-01T15:00:00.000Z', 'l1', 'executed', 1500);
    budget(log, '2025-05-01T15:00:00.000Z', 'l1', 'approved', 2000);
    expect(log.of('CF-05')).toEqual([
      expect.objectContaining({
        raisedAt: '2025-04-01T15:00:00.000Z',
        closedAt: '2025-05-01T15:00:00.000Z',
        evidence: [6, 7],
      }),
    ]);
  });

  it('does not flag execution within approval', () => {
    const log = started();
    budget(log, '2025-03-01T15:00:00.000Z', 'l1', 'approved', 1000);
    budget(log, '2025-04-01T15:00:00.000Z', 'l1', 'executed', 1000);
    expect(log.of('CF-05')).toEqual([]);
  });
});

describe('CF-06 progress going backwards', () => {
  it('flags a report lower than the one before', () => {
    const log = started();
    log.commitment('MilestoneProgressReported', '2025-03-01T15:00:00.000Z', {
      milestoneId: 'm1',
      percent: 5,
    });
    expect(log.of('CF-06')).toEqual([
      expect.objectContaining({ raisedAt: '2025-03-01T15:00:00.000Z', evidence: [5] }),
    ]);
  });

  it('does not flag the same progress reported again', () => {
    const log = started();
    log.commitment('MilestoneProgressReported', '2025-03-01T15:00:00.000Z', {
      milestoneId: 'm1',
      percent: 10,
    });
    expect(log.of('CF-06')).toEqual([]);
  });
});

function completed(evidence: boolean): Log {
  return started()
    .commitment('MilestoneCompleted', '2025-05-01T15:00:00.000Z', {
      milestoneId: 'm1',
      ...(evidence ? { evidence: [{ kind: 'link' }] } : {}),
    })
    .commitment('CommitmentCompleted', '2025-05-02T15:00:00.000Z');
}

describe('CF-07 change after completion', () => {
  it('flags any event after the completion', () => {
    const log = completed(true);
    budget(log, '2025-05-10T15:00:00.000Z', 'l1', 'executed', 10);
    expect(log.of('CF-07')).toEqual([
      expect.objectContaining({ raisedAt: '2025-05-10T15:00:00.000Z', evidence: [7] }),
    ]);
  });

  it('does not flag the completion itself', () => {
    expect(completed(true).of('CF-07')).toEqual([]);
  });
});

describe('CF-08 past its end date and not completed', () => {
  it('is open once the end day is over in Bogotá, not before', () => {
    const log = started();
    expect(log.of('CF-08', '2025-07-01T04:59:59.000Z')).toEqual([]);
    expect(log.of('CF-08', '2025-07-01T05:00:00.000Z')).toEqual([
      expect.objectContaining({
        raisedAt: '2025-07-01T05:00:00.000Z',
        state: 'open',
        evidence: [0],
      }),
    ]);
  });

  it('is closed by a late completion and absent for one on time', () => {
    const late = started().commitment('CommitmentCompleted', '2025-08-01T15:00:00.000Z');
    expect(late.of('CF-08')).toEqual([
      expect.objectContaining({ closedAt: '2025-08-01T15:00:00.000Z', state: 'closed' }),
    ]);
    expect(completed(true).of('CF-08')).toEqual([]);
  });
});

describe('CF-09 completion with no evidence', () => {
  it('flags a milestone completed with no evidence, and the commitment', () => {
    const log = new Log()
      .commitment('CommitmentRegistered', '2025-01-10T15:00:00.000Z', { endDate: '2025-06-30' })
      .commitment('MilestoneAdded', '2025-01-10T15:01:00.000Z', {
        milestoneId: 'm1',
        plannedEnd: '2025-05',
      })
      .commitment('CommitmentPublished', '2025-01-11T15:00:00.000Z')
      .commitment('MilestoneProgressReported', '2025-02-15T15:00:00.000Z', {
        milestoneId: 'm1',
        percent: 100,
      })
      .commitment('CommitmentStarted', '2025-02-15T15:00:00.000Z')
      .commitment('CommitmentCompleted', '2025-03-01T15:00:00.000Z');
    expect(log.of('CF-09').map((f) => [f.subject.kind, f.raisedAt, f.evidence])).toEqual([
      ['commitment', '2025-03-01T15:00:00.000Z', [5]],
      ['milestone', '2025-02-15T15:00:00.000Z', [3]],
    ]);
  });

  it('does not flag completion with evidence', () => {
    expect(completed(true).of('CF-09')).toEqual([]);
  });
});

describe('CF-10 no event for 90 days while in progress', () => {
  it('is open 90 days after the last event, and a silence that ended is closed', () => {
    const log = started();
    log.commitment('MilestoneProgressReported', '2025-06-01T15:00:00.000Z', {
      milestoneId: 'm1',
      percent: 50,
    });
    const flags = log.of('CF-10', '2025-08-30T14:59:59.000Z');
    expect(flags).toEqual([
      expect.objectContaining({
        raisedAt: '2025-05-16T15:00:00.000Z',
        closedAt: '2025-06-01T15:00:00.000Z',
        evidence: [4, 5],
      }),
    ]);
    expect(log.of('CF-10', '2025-08-30T15:00:00.000Z')).toHaveLength(2);
  });

  it('does not flag 89 days of silence', () => {
    expect(started().of('CF-10', '2025-05-15T15:00:00.000Z')).toEqual([]);
  });
});

describe("CF-11 progress jump in the commitment's last month", () => {
  it('flags a jump of 60 points within the last 30 days', () => {
    const log = started();
    log.commitment('MilestoneProgressReported', '2025-06-10T15:00:00.000Z', {
      milestoneId: 'm1',
      percent: 70,
    });
    expect(log.of('CF-11')).toEqual([
      expect.objectContaining({ raisedAt: '2025-06-10T15:00:00.000Z', evidence: [5] }),
    ]);
  });

  it('does not flag the same jump earlier, nor a smaller one in the last month', () => {
    const early = started();
    early.commitment('MilestoneProgressReported', '2025-05-10T15:00:00.000Z', {
      milestoneId: 'm1',
      percent: 70,
    });
    expect(early.of('CF-11')).toEqual([]);
    const small = started();
    small.commitment('MilestoneProgressReported', '2025-06-10T15:00:00.000Z', {
      milestoneId: 'm1',
      percent: 69,
    });
    expect(small.of('CF-11')).toEqual([]);
  });
});

const assess = (log: Log, at: string, id: string, completion: string, kind = 'results_report') =>
  log.add(`assessment-${id}`, 'IndependentAssessmentRecorded', at, {
    assessmentId: id,
    commitmentId: C,
    report: { kind, id: 'r2025' },
    completion,
  });

describe('CF-12 completion contradicted by an independent assessment', () => {
  it('does not count an action plan review, which rates a design before implementation', () => {
    const log = completed(true);
    assess(log, '2025-07-01T15:00:00.000Z', 'a1', 'not_started', 'action_plan_review');
    expect(log.of('CF-12')).toEqual([]);
    assess(log, '2025-07-02T15:00:00.000Z', 'a2', 'not_started');
    expect(log.of('CF-12')).toHaveLength(1);
  });

  it('flags a completed commitment assessed as limited; a later assessment closes it', () => {
    const log = completed(true);
    assess(log, '2025-07-01T15:00:00.000Z', 'a1', 'limited');
    assess(log, '2025-08-01T15:00:00.000Z', 'a2', 'substantial');
    expect(log.of('CF-12')).toEqual([
      expect.objectContaining({
        id: `CF-12/commitment:${C}/report:results_report/r2025#1`,
        raisedAt: '2025-07-01T15:00:00.000Z',
        closedAt: '2025-08-01T15:00:00.000Z',
        evidence: [6, 7, 8],
      }),
    ]);
  });

  it('does not flag an assessment rated complete, nor a commitment not completed', () => {
    const agree = completed(true);
    assess(agree, '2025-07-01T15:00:00.000Z', 'a1', 'complete');
    expect(agree.of('CF-12')).toEqual([]);
    const running = started();
    assess(running, '2025-07-01T15:00:00.000Z', 'a1', 'not_started');
    expect(running.of('CF-12')).toEqual([]);
  });
});

const evaluation = (dueDate: string) =>
  new Log().add('evaluation-e1', 'EvaluationSubmitted', '2025-03-03T15:00:00.000Z', {
    evaluationId: 'e1',
    target: { kind: 'commitment', commitmentId: C },
    agencyId: 'sec-hacienda',
    dueDate,
  });

describe('CF-13 evaluation unanswered past its due date', () => {
  it('is open after the due day, and closed by a late answer', () => {
    const log = evaluation('2025-03-24');
    expect(log.of('CF-13', '2025-03-25T04:59:00.000Z')).toEqual([]);
    expect(log.of('CF-13', '2025-03-25T05:00:00.000Z')).toEqual([
      expect.objectContaining({
        subject: { kind: 'evaluation', id: 'e1', commitmentIds: [C] },
        state: 'open',
        evidence: [0],
      }),
    ]);
    log.add('evaluation-e1', 'EvaluationAnswered', '2025-04-01T15:00:00.000Z', {
      evaluationId: 'e1',
      answer: 'a',
    });
    expect(log.of('CF-13')).toEqual([
      expect.objectContaining({ closedAt: '2025-04-01T15:00:00.000Z', evidence: [0, 1] }),
    ]);
  });

  it('does not flag an answer on time', () => {
    const log = evaluation('2025-03-24').add(
      'evaluation-e1',
      'EvaluationAnswered',
      '2025-03-24T20:00:00.000Z',
      { evaluationId: 'e1', answer: 'a' },
    );
    expect(log.of('CF-13')).toEqual([]);
  });
});

function space(kind: string, convenedAt: string, startsAt: string): Log {
  return new Log().add('dialogue-space-d1', 'DialogueSpaceConvened', convenedAt, {
    dialogueSpaceId: 'd1',
    agencyId: 'sec-hacienda',
    kind,
    convenedAt,
    startsAt,
    commitmentIds: [C],
  });
}

describe('CF-14 improvement action overdue', () => {
  const agreed = () =>
    space('meeting', '2025-03-01T15:00:00.000Z', '2025-03-20T15:00:00.000Z').add(
      'dialogue-space-d1',
      'ImprovementActionAgreed',
      '2025-03-20T18:00:00.000Z',
      { dialogueSpaceId: 'd1', actionId: 'a1', commitmentId: C, dueDate: '2025-05-31' },
    );

  it('is open after the due day while not completed', () => {
    expect(agreed().of('CF-14')).toEqual([
      expect.objectContaining({
        subject: { kind: 'improvement_action', id: 'a1', commitmentIds: [C] },
        raisedAt: '2025-06-01T05:00:00.000Z',
        state: 'open',
        evidence: [1],
      }),
    ]);
  });

  it('does not flag an action completed on time', () => {
    const log = agreed().add(
      'dialogue-space-d1',
      'ImprovementActionReported',
      '2025-05-30T15:00:00.000Z',
      {
        dialogueSpaceId: 'd1',
        actionId: 'a1',
        status: 'completed',
        percent: 100,
      },
    );
    expect(log.of('CF-14')).toEqual([]);
  });
});

describe('CF-15 convened with too little notice', () => {
  it('flags 7 days of notice', () => {
    const log = space('forum', '2025-03-01T15:00:00.000Z', '2025-03-08T15:00:00.000Z');
    expect(log.of('CF-15')).toEqual([
      expect.objectContaining({ raisedAt: '2025-03-01T15:00:00.000Z', evidence: [0] }),
    ]);
  });

  it('does not flag 8 days of notice', () => {
    expect(
      space('forum', '2025-03-01T15:00:00.000Z', '2025-03-09T15:00:00.000Z').of('CF-15'),
    ).toEqual([]);
  });
});

describe('CF-16 hearing without minutes after 30 days', () => {
  const held = () =>
    space('public_hearing', '2025-03-01T15:00:00.000Z', '2025-03-20T15:00:00.000Z').add(
      'dialogue-space-d1',
      'DialogueSpaceHeld',
      '2025-03-20T20:00:00.000Z',
      { dialogueSpaceId: 'd1', heldAt: '2025-03-20T20:00:00.000Z' },
    );

  it('is open 30 days after the hearing without minutes', () => {
    expect(held().of('CF-16', '2025-04-19T19:59:59.000Z')).toEqual([]);
    expect(held().of('CF-16', '2025-04-19T20:00:00.000Z')).toEqual([
      expect.objectContaining({ raisedAt: '2025-04-19T20:00:00.000Z', evidence: [1] }),
    ]);
  });

  it('does not flag a hearing whose minutes came in time, nor a meeting', () => {
    const log = held().add('dialogue-space-d1', 'AttendanceRecorded', '2025-04-01T15:00:00.000Z', {
      dialogueSpaceId: 'd1',
      total: 10,
      minutes: { sha256: 'x', mediaType: 'application/pdf', url: 'https://x' },
    });
    expect(log.of('CF-16')).toEqual([]);
    const meeting = space('meeting', '2025-03-01T15:00:00.000Z', '2025-03-20T15:00:00.000Z').add(
      'dialogue-space-d1',
      'DialogueSpaceHeld',
      '2025-03-20T20:00:00.000Z',
      { dialogueSpaceId: 'd1' },
    );
    expect(meeting.of('CF-16')).toEqual([]);
  });
});

describe('justifications', () => {
  it('are shown beside their flag and do not close it', () => {
    const log = evaluation('2025-03-24').add(
      'red-flag-evaluation:e1',
      'RedFlagJustified',
      '2025-03-26T15:00:00.000Z',
      { flagId: 'CF-13/evaluation:e1#1', reason: 'the answer was sent by mail' },
    );
    expect(log.of('CF-13')).toEqual([
      expect.objectContaining({
        state: 'open',
        justifications: [
          {
            position: 1,
            justifiedAt: '2025-03-26T15:00:00.000Z',
            reason: 'the answer was sent by mail',
          },
        ],
      }),
    ]);
  });
});

describe('the fold', () => {
  it('gives the same flags from its files after a JSON round trip (as the read model keeps them)', () => {
    const log = completed(false);
    assess(log, '2025-07-01T15:00:00.000Z', 'a1', 'not_started');
    const files = foldAll(log.events);
    const asOf = '2026-01-01T00:00:00.000Z';
    expect(evaluateAll(JSON.parse(JSON.stringify(files)), asOf, DEFAULT_THRESHOLDS)).toEqual(
      evaluateAll(files, asOf, DEFAULT_THRESHOLDS),
    );
  });

  it('reads no rule from a date that does not exist, and never fails on one', () => {
    const log = evaluation('2025-02-30');
    log.add('dialogue-space-d9', 'DialogueSpaceConvened', '2025-03-01T15:00:00.000Z', {
      dialogueSpaceId: 'd9',
      kind: 'forum',
      convenedAt: 'not a time',
      startsAt: '2025-03-02T15:00:00.000Z',
    });
    expect(log.flags('2026-01-01T00:00:00.000Z')).toEqual([]);
  });
});
