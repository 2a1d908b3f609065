import { describe, expect, it } from '@jest/globals';

import type { CommitmentCommand } from './commitment.commands.js';
import { decide } from './commitment.decide.js';
import {
  CommitmentAlreadyRegistered,
  CommitmentClosed,
  CommitmentNotFound,
  EventNotFound,
  IllegalTransition,
  IncompleteCommitment,
  InvalidCommand,
  MilestoneAlreadyExists,
  MilestoneClosed,
  MilestoneNotFound,
  MilestoneOutsideCommitment,
  MilestonesStillOpen,
  UncorrectableEvent,
} from './commitment.errors.js';
import type { Evidence } from './commitment.events.js';
import { initialState } from './commitment.state.js';
import {
  COMMITMENT_ID,
  NOW,
  addMilestone,
  budgetRecorded,
  cancelMilestone,
  commitmentCompleted,
  completeCommitment,
  completeMilestone,
  correctEvent,
  corrected,
  evidence,
  histories,
  milestoneAdded,
  milestoneCancelled,
  milestoneCompleted,
  milestoneRescheduled,
  oneOfEachCommand,
  progressReported,
  publish,
  published,
  recordBudget,
  register,
  registered,
  reportProgress,
  rescheduleMilestone,
  revise,
  revised,
  started,
  withdraw,
  withdrawn,
} from '../../test/commitment.fixtures.js';
import { given } from '../../test/commitment.decider-spec.js';

const typeOf = (command: CommitmentCommand) => command.type;

describe('when empty', () => {
  it('registers the commitment with its template fields', () => {
    given([])
      .when(register())
      .then([{ ...registered(), data: { ...registered().data, registeredAt: NOW } }]);
  });

  it('defaults the lists left out to empty and trims text', () => {
    const { data } = register();
    given([])
      .when({
        type: 'RegisterCommitment',
        data: {
          commitmentId: 'c2',
          code: ' CTG-2023-02 ',
          title: '  Presupuestos participativos  ',
          actionPlanId: data.actionPlanId,
          startDate: '2023-01-01',
          endDate: '2023-06-30',
          leadAgency: { name: ' Alcaldía ', offices: [] },
          territories: { localidades: ['Localidad Industrial y de la Bahía'] },
        },
      })
      .then([
        {
          type: 'CommitmentRegistered',
          data: {
            commitmentId: 'c2',
            code: 'CTG-2023-02',
            title: 'Presupuestos participativos',
            actionPlanId: data.actionPlanId,
            startDate: '2023-01-01',
            endDate: '2023-06-30',
            leadAgency: { id: 'alcaldia', name: 'Alcaldía', offices: [] },
            stakeholders: [],
            policyAreas: [],
            ogpValues: [],
            territories: {
              localidades: ['Localidad Industrial y de la Bahía'],
              comunas: [],
              corregimientos: [],
            },
            inclusionGroups: [],
            registeredAt: NOW,
          },
        },
      ]);
  });

  it('records the business time it is given, not the clock', () => {
    given([])
      .when(register(), { now: new Date('2022-11-30T09:30:00-05:00') })
      .then([
        {
          ...registered(),
          data: { ...registered().data, registeredAt: '2022-11-30T14:30:00.000Z' },
        },
      ]);
  });

  it.each([
    ['a missing code', { code: '' }, 'code', 'required'],
    ['a code with spaces', { code: '#CartagenaCuenta 2023' }, 'code', 'format'],
    ['a one-letter code', { code: 'C' }, 'code', 'format'],
    ['a blank title', { title: '   ' }, 'title', 'required'],
    ['a title over 500 characters', { title: 'x'.repeat(501) }, 'title', 'too_long'],
    ['a bad commitment id', { commitmentId: 'c 1' }, 'commitmentId', 'format'],
    ['a start date that does not exist', { startDate: '2023-02-29' }, 'startDate', 'calendar_date'],
    ['a start date in another format', { startDate: '01-01-2023' }, 'startDate', 'calendar_date'],
    ['an end date before the start', { endDate: '2022-12-31' }, 'endDate', 'not_before_start'],
    [
      'a lead agency without a name',
      { leadAgency: { name: '', offices: [] } },
      'leadAgency.name',
      'required',
    ],
    [
      'an office listed twice',
      { leadAgency: { name: 'A', offices: ['B', 'B'] } },
      'leadAgency.offices.1',
      'unique',
    ],
    ['an empty narrative field', { problem: '' }, 'problem', 'required'],
    ['an unknown OGP value', { ogpValues: [{ value: 'openness' }] }, 'ogpValues.0.value', 'one_of'],
    [
      'an OGP value listed twice',
      { ogpValues: [{ value: 'inclusion' }, { value: 'inclusion' }] },
      'ogpValues.1',
      'unique',
    ],
    [
      'an unknown territorial level',
      { territories: { barrios: ['Getsemaní'] } },
      'territories.barrios',
      'not_a_field',
    ],
    ['a field the template does not have', { budget: 1 }, 'budget', 'not_a_field'],
    [
      'a title of zero-width characters only',
      { title: '\u200b\u200c\u200d\u2060' },
      'title',
      'required',
    ],
    [
      'a title of invisible characters and spaces',
      { title: ' \u00ad\ufeff \u200b ' },
      'title',
      'required',
    ],
  ])('refuses %s', (_what, overrides, field, rule) => {
    given([])
      .when(register(overrides as never))
      .thenFails(InvalidCommand, { code: 'INVALID_INPUT', field, rule });
  });

  it('keeps a title with a zero-width joiner among visible letters', () => {
    given([])
      .when(register({ title: 'Cuenta\u200d2023' }))
      .then([registered({ title: 'Cuenta\u200d2023', registeredAt: NOW })]);
  });

  it('refuses a time that is not a date', () => {
    given([])
      .when(register(), { now: new Date('not a date') })
      .thenFails(InvalidCommand, { field: 'occurredAt', rule: 'valid_timestamp' });
  });

  it.each(
    oneOfEachCommand()
      .filter((c) => c.type !== 'RegisterCommitment')
      .map((c) => [typeOf(c), c] as const),
  )('refuses %s: the commitment does not exist', (_type, command) => {
    given([])
      .when(command)
      .thenFails(CommitmentNotFound, { code: 'COMMITMENT_NOT_FOUND', commitmentId: COMMITMENT_ID });
  });

  it('refuses a command of a type it does not know', () => {
    expect(() =>
      decide({ type: 'DeleteCommitment', data: {} } as never, initialState, {
        now: new Date(NOW),
      }),
    ).toThrow(InvalidCommand);
  });
});

describe('when draft', () => {
  const draft = histories.draft;

  it('refuses a second registration', () => {
    given(draft)
      .when(register())
      .thenFails(CommitmentAlreadyRegistered, { code: 'COMMITMENT_ALREADY_REGISTERED' });
  });

  it('refuses a command about another commitment', () => {
    given(draft)
      .when({ type: 'PublishCommitment', data: { commitmentId: 'c2' } })
      .thenFails(InvalidCommand, { field: 'commitmentId', rule: 'matches_stream' });
  });

  describe('ReviseCommitment', () => {
    it('records only the fields that change, with the reason', () => {
      given(draft)
        .when(revise({ title: 'Estrategia integral', code: 'CTG-2023-01' }))
        .then([revised({ title: 'Estrategia integral' })]);
    });

    it('refuses a revision without a reason', () => {
      given(draft)
        .when(revise({ title: 'Otra' }, ' '))
        .thenFails(InvalidCommand, { field: 'reason', rule: 'required' });
    });

    it('refuses a revision that changes nothing', () => {
      given(draft)
        .when(revise({ title: registered().data.title }))
        .thenFails(InvalidCommand, { field: 'changes', rule: 'no_change' });
    });

    it('refuses an end date before the start date', () => {
      given(draft)
        .when(revise({ endDate: '2022-06-30' }))
        .thenFails(InvalidCommand, { field: 'changes.endDate', rule: 'not_before_start' });
    });

    it('refuses dates that would leave a milestone outside them', () => {
      given(draft)
        .when(revise({ endDate: '2023-05-31' }))
        .thenFails(MilestoneOutsideCommitment, {
          code: 'MILESTONE_OUTSIDE_COMMITMENT',
          field: 'changes.endDate',
          milestoneId: 'm1',
        });
    });

    it('refuses to change the id through the changes', () => {
      given(draft)
        .when(revise({ commitmentId: 'c9' } as never))
        .thenFails(InvalidCommand, { field: 'changes.commitmentId', rule: 'not_a_field' });
    });
  });

  describe('PublishCommitment', () => {
    it('publishes a complete commitment', () => {
      given(draft)
        .when(publish())
        .then([published(NOW)]);
    });

    it('refuses to publish while template fields are missing, naming them', () => {
      given([
        registered({ problem: undefined, ogpValues: [] }),
        milestoneAdded('m1'),
        milestoneCancelled('m1'),
      ])
        .when(publish())
        .thenFails(IncompleteCommitment, {
          code: 'INCOMPLETE_COMMITMENT',
          field: 'problem',
          missing: ['problem', 'ogpValues', 'milestones'],
        });
    });
  });

  describe('AddMilestone', () => {
    it('adds a milestone planned by month', () => {
      given(draft)
        .when(addMilestone())
        .then([milestoneAdded('m9')]);
    });

    it('accepts a milestone that fills the commitment exactly, by day or by month', () => {
      given(draft)
        .when(addMilestone({ plannedStart: '2023-01-01', plannedEnd: '2023-12' }))
        .then([milestoneAdded('m9', { plannedStart: '2023-01-01', plannedEnd: '2023-12' })]);
    });

    it('refuses a milestone id already used', () => {
      given(draft)
        .when(addMilestone({ milestoneId: 'm1' }))
        .thenFails(MilestoneAlreadyExists, {
          code: 'MILESTONE_ALREADY_EXISTS',
          field: 'milestoneId',
        });
    });

    it('refuses a milestone that starts before the commitment', () => {
      given(draft)
        .when(addMilestone({ plannedStart: '2022-12' }))
        .thenFails(MilestoneOutsideCommitment, {
          field: 'plannedStart',
          commitmentStart: '2023-01-01',
          commitmentEnd: '2023-12-31',
        });
    });

    it('refuses a milestone that ends after the commitment', () => {
      given(draft)
        .when(addMilestone({ plannedEnd: '2024-01-15' }))
        .thenFails(MilestoneOutsideCommitment, { field: 'plannedEnd' });
    });

    it('refuses an end before the start', () => {
      given(draft)
        .when(addMilestone({ plannedStart: '2023-05', plannedEnd: '2023-04-30' }))
        .thenFails(InvalidCommand, { field: 'plannedEnd', rule: 'not_before_start' });
    });

    it('accepts a day inside a month that ends the plan', () => {
      given(draft)
        .when(addMilestone({ plannedStart: '2023-05-20', plannedEnd: '2023-05' }))
        .then([milestoneAdded('m9', { plannedStart: '2023-05-20', plannedEnd: '2023-05' })]);
    });

    it.each([
      ['a month that does not exist', { plannedStart: '2023-13' }, 'plannedStart', 'planned_date'],
      ['a missing end', { plannedEnd: undefined }, 'plannedEnd', 'required'],
      ['a missing title', { title: '' }, 'title', 'required'],
      ['a missing office', { responsibleOffice: undefined }, 'responsibleOffice', 'required'],
      ['an id with spaces', { milestoneId: 'hito 1' }, 'milestoneId', 'format'],
    ])('refuses %s', (_what, overrides, field, rule) => {
      given(draft)
        .when(addMilestone(overrides as never))
        .thenFails(InvalidCommand, { field, rule });
    });
  });

  describe('RescheduleMilestone', () => {
    it('moves the dates, with the reason', () => {
      given(draft)
        .when(rescheduleMilestone())
        .then([milestoneRescheduled('m1')]);
    });

    it('refuses a reschedule without a reason', () => {
      given(draft)
        .when(rescheduleMilestone({ reason: undefined as never }))
        .thenFails(InvalidCommand, { code: 'INVALID_INPUT', field: 'reason', rule: 'required' });
    });

    it('refuses a reschedule to the same dates', () => {
      given(draft)
        .when(rescheduleMilestone({ plannedStart: '2023-02', plannedEnd: '2023-06' }))
        .thenFails(InvalidCommand, { field: 'plannedStart', rule: 'no_change' });
    });

    it('refuses an unknown milestone', () => {
      given(draft)
        .when(rescheduleMilestone({ milestoneId: 'm7' }))
        .thenFails(MilestoneNotFound, { code: 'MILESTONE_NOT_FOUND', milestoneId: 'm7' });
    });
  });

  it('refuses progress before publication', () => {
    given(draft).when(reportProgress()).thenFails(IllegalTransition, {
      code: 'ILLEGAL_TRANSITION',
      status: 'draft',
      command: 'ReportProgress',
    });
  });

  it('refuses to complete a milestone before publication', () => {
    given(draft)
      .when(completeMilestone())
      .thenFails(IllegalTransition, { status: 'draft', command: 'CompleteMilestone' });
  });

  describe('CancelMilestone', () => {
    it('cancels a milestone, with the reason', () => {
      given(draft)
        .when(cancelMilestone())
        .then([milestoneCancelled('m1')]);
    });

    it('refuses a cancellation without a reason', () => {
      given(draft)
        .when(cancelMilestone({ reason: '' }))
        .thenFails(InvalidCommand, { field: 'reason', rule: 'required' });
    });
  });

  it('refuses to complete a draft', () => {
    given(draft)
      .when(completeCommitment())
      .thenFails(IllegalTransition, { status: 'draft', command: 'CompleteCommitment' });
  });

  describe('WithdrawCommitment', () => {
    it('withdraws, with the reason', () => {
      given(draft).when(withdraw()).then([withdrawn()]);
    });

    it('refuses a withdrawal without a reason', () => {
      given(draft)
        .when(withdraw(''))
        .thenFails(InvalidCommand, { field: 'reason', rule: 'required' });
    });
  });

  it('records a proposed budget', () => {
    given(draft)
      .when(recordBudget({ phase: 'proposed', amountCop: 200_000_000 }))
      .then([budgetRecorded({ phase: 'proposed', amountCop: 200_000_000 })]);
  });

  it('corrects a typo in the registration', () => {
    given(draft)
      .when(correctEvent({ eventId: 'event-1', corrected: { title: 'Estrategia integral' } }))
      .then([
        corrected({
          correctedEventId: 'event-1',
          correctedEventType: 'CommitmentRegistered',
          reason: 'El dato se digitó mal',
          replacement: registered({ title: 'Estrategia integral' }),
        }),
      ]);
  });
});

describe('when published', () => {
  const history = histories.published;

  it('refuses a second registration', () => {
    given(history).when(register()).thenFails(CommitmentAlreadyRegistered);
  });

  it('revises a field, with the reason', () => {
    given(history)
      .when(revise({ resources: 'Recursos propios y cooperación internacional' }))
      .then([revised({ resources: 'Recursos propios y cooperación internacional' })]);
  });

  it('refuses to publish twice', () => {
    given(history)
      .when(publish())
      .thenFails(IllegalTransition, { status: 'published', command: 'PublishCommitment' });
  });

  it('adds a milestone', () => {
    given(history)
      .when(addMilestone())
      .then([milestoneAdded('m9')]);
  });

  it('reschedules a milestone with a reason', () => {
    given(history)
      .when(rescheduleMilestone())
      .then([milestoneRescheduled('m1')]);
  });

  it('refuses to reschedule a milestone past the commitment end', () => {
    given(history)
      .when(rescheduleMilestone({ plannedEnd: '2024-02' }))
      .thenFails(MilestoneOutsideCommitment, { field: 'plannedEnd', milestoneId: 'm1' });
  });

  describe('ReportProgress', () => {
    it('starts the commitment with its first progress', () => {
      given(history)
        .when(reportProgress({ percent: 25, note: 'Primer borrador', evidence: [evidence()] }))
        .then([
          started(),
          progressReported('m1', 25, { note: 'Primer borrador', evidence: [evidence()] }),
        ]);
    });

    it('does not start the commitment with a report of 0%', () => {
      given(history)
        .when(reportProgress({ percent: 0 }))
        .then([progressReported('m1', 0)]);
    });

    it('records evidence given as a link, hash in lower case', () => {
      const link: Evidence = {
        kind: 'link',
        url: 'https://cuenta.example/cartagena/actas/2023-02-10',
        sha256: 'AB'.repeat(32),
        mediaType: 'Application/PDF',
        description: 'Acta publicada',
      };
      given(history)
        .when(reportProgress({ evidence: [link] }))
        .then([
          started(),
          progressReported('m1', 60, {
            evidence: [{ ...link, sha256: 'ab'.repeat(32), mediaType: 'application/pdf' }],
          }),
        ]);
    });

    it.each([
      ['above 100', 101, 'range'],
      ['below 0', -1, 'range'],
      ['not whole', 12.5, 'integer'],
      ['not a number', Number.NaN, 'format'],
      ['missing', undefined, 'required'],
      ['given as text', '50', 'format'],
    ])('refuses a percent %s', (_what, percent, rule) => {
      given(history)
        .when(reportProgress({ percent: percent as number }))
        .thenFails(InvalidCommand, { code: 'INVALID_INPUT', field: 'percent', rule });
    });

    it.each([
      ['a short hash', { sha256: 'abc' }, 'evidence.0.sha256', 'format'],
      ['a missing hash', { sha256: undefined }, 'evidence.0.sha256', 'required'],
      ['a bad media type', { mediaType: 'pdf' }, 'evidence.0.mediaType', 'format'],
      ['no description', { description: ' ' }, 'evidence.0.description', 'required'],
      ['an unknown kind', { kind: 'photo' }, 'evidence.0.kind', 'one_of'],
      ['a document without a name', { fileName: undefined }, 'evidence.0.fileName', 'required'],
      [
        'a link that is not http',
        { kind: 'link', url: 'ftp://x.example/a' },
        'evidence.0.url',
        'format',
      ],
    ])('refuses evidence with %s', (_what, overrides, field, rule) => {
      given(history)
        .when(reportProgress({ evidence: [evidence(overrides as Partial<Evidence>)] }))
        .thenFails(InvalidCommand, { field, rule });
    });

    it("refuses a report dated before the commitment's registration", () => {
      given(history)
        .when(reportProgress(), { now: new Date('2023-01-09T23:59:59.999Z') })
        .thenFails(InvalidCommand, { field: 'occurredAt', rule: 'not_before_registration' });
    });

    it('accepts a report dated at the moment of registration', () => {
      const { registeredAt } = registered().data;
      given(history)
        .when(reportProgress({ percent: 0 }), { now: new Date(registeredAt) })
        .then([progressReported('m1', 0, { reportedAt: registeredAt })]);
    });

    it('refuses more than 20 pieces of evidence in one report', () => {
      given(history)
        .when(reportProgress({ evidence: Array.from({ length: 21 }, () => evidence()) }))
        .thenFails(InvalidCommand, { field: 'evidence', rule: 'too_many' });
    });

    it('refuses an unknown milestone', () => {
      given(history)
        .when(reportProgress({ milestoneId: 'm404' }))
        .thenFails(MilestoneNotFound, { field: 'milestoneId' });
    });
  });

  it('completes a milestone with evidence, starting the commitment', () => {
    given(history)
      .when(completeMilestone({ evidence: [evidence()], note: 'Estrategia aprobada' }))
      .then([
        started(),
        milestoneCompleted('m1', { evidence: [evidence()], note: 'Estrategia aprobada' }),
      ]);
  });

  it('cancels a milestone', () => {
    given(history)
      .when(cancelMilestone())
      .then([milestoneCancelled('m1')]);
  });

  it('refuses to complete a commitment that has not started', () => {
    given(history)
      .when(completeCommitment())
      .thenFails(IllegalTransition, { status: 'published', command: 'CompleteCommitment' });
  });

  it('withdraws, with the reason', () => {
    given(history).when(withdraw()).then([withdrawn()]);
  });

  it('records an approved budget for a milestone', () => {
    given(history)
      .when(recordBudget({ milestoneId: 'm2' }))
      .then([budgetRecorded({ milestoneId: 'm2' })]);
  });

  it('refuses a budget for an unknown milestone', () => {
    given(history)
      .when(recordBudget({ milestoneId: 'm404' }))
      .thenFails(MilestoneNotFound, { milestoneId: 'm404' });
  });

  it('refuses to correct the publication', () => {
    given(history)
      .when(correctEvent({ eventId: 'event-4' }))
      .thenFails(UncorrectableEvent, {
        code: 'EVENT_NOT_CORRECTABLE',
        field: 'eventId',
        eventType: 'CommitmentPublished',
        rule: 'not_correctable',
      });
  });
});

describe('when in progress', () => {
  const history = histories.in_progress;

  it('refuses a second registration', () => {
    given(history).when(register()).thenFails(CommitmentAlreadyRegistered);
  });

  it('revises the end date when every milestone still fits', () => {
    given(history)
      .when(revise({ endDate: '2023-06-30' }))
      .then([revised({ endDate: '2023-06-30' })]);
  });

  it('refuses to publish', () => {
    given(history)
      .when(publish())
      .thenFails(IllegalTransition, { status: 'in_progress', command: 'PublishCommitment' });
  });

  it('adds a milestone', () => {
    given(history)
      .when(addMilestone())
      .then([milestoneAdded('m9')]);
  });

  it('reschedules a milestone with a reason', () => {
    given(history)
      .when(rescheduleMilestone())
      .then([milestoneRescheduled('m1')]);
  });

  it('reports progress without starting the commitment again', () => {
    given(history)
      .when(reportProgress({ percent: 80 }))
      .then([progressReported('m1', 80)]);
  });

  it('accepts progress going backwards (a red flag, not an error)', () => {
    given(history)
      .when(reportProgress({ percent: 10 }))
      .then([progressReported('m1', 10)]);
  });

  it('completes a milestone', () => {
    given(history)
      .when(completeMilestone())
      .then([milestoneCompleted('m1')]);
  });

  it('refuses to complete a cancelled milestone', () => {
    given([...history, milestoneCancelled('m2')])
      .when(completeMilestone({ milestoneId: 'm2' }))
      .thenFails(MilestoneClosed, {
        code: 'MILESTONE_CLOSED',
        field: 'milestoneId',
        milestoneId: 'm2',
        status: 'cancelled',
      });
  });

  it('refuses to complete a milestone twice', () => {
    given([...history, milestoneCompleted('m1')])
      .when(completeMilestone())
      .thenFails(MilestoneClosed, { status: 'completed' });
  });

  it.each([
    ['ReportProgress', reportProgress()],
    ['RescheduleMilestone', rescheduleMilestone()],
    ['CancelMilestone', cancelMilestone()],
  ] as const)('refuses %s on a completed milestone', (_type, command) => {
    given([...history, milestoneCompleted('m1')])
      .when(command)
      .thenFails(MilestoneClosed, { milestoneId: 'm1', status: 'completed' });
  });

  it('cancels a milestone', () => {
    given(history)
      .when(cancelMilestone())
      .then([milestoneCancelled('m1')]);
  });

  describe('CompleteCommitment', () => {
    it('completes once every milestone is completed or cancelled', () => {
      given([...history, milestoneCompleted('m1'), milestoneCancelled('m2')])
        .when(completeCommitment())
        .then([commitmentCompleted()]);
    });

    it('refuses while milestones are open, naming them', () => {
      given([...history, milestoneCompleted('m1')])
        .when(completeCommitment())
        .thenFails(MilestonesStillOpen, {
          code: 'MILESTONES_STILL_OPEN',
          milestoneIds: ['m2'],
        });
    });

    it('refuses when every milestone was cancelled', () => {
      given([...history, milestoneCancelled('m1'), milestoneCancelled('m2')])
        .when(completeCommitment())
        .thenFails(IllegalTransition, { command: 'CompleteCommitment' });
    });
  });

  it('withdraws, with the reason', () => {
    given(history).when(withdraw()).then([withdrawn()]);
  });

  describe('RecordBudget', () => {
    const approved = [...history, budgetRecorded({ phase: 'approved', amountCop: 100_000_000 })];

    it('records an executed amount without a reason', () => {
      given(approved)
        .when(recordBudget({ phase: 'executed', amountCop: 40_000_000 }))
        .then([budgetRecorded({ phase: 'executed', amountCop: 40_000_000 })]);
    });

    it('refuses to change an approved amount without a reason', () => {
      given(approved)
        .when(recordBudget({ phase: 'approved', amountCop: 80_000_000 }))
        .thenFails(InvalidCommand, {
          field: 'reason',
          rule: 'required_to_change_approved_amount',
        });
    });

    it('refuses an adjustment without a reason', () => {
      given(approved)
        .when(recordBudget({ phase: 'adjusted', amountCop: 120_000_000 }))
        .thenFails(InvalidCommand, {
          field: 'reason',
          rule: 'required_to_change_approved_amount',
        });
    });

    it('refuses to change an adjusted amount without a reason', () => {
      given([
        ...approved,
        budgetRecorded({ phase: 'adjusted', amountCop: 120_000_000, reason: 'Adición' }),
      ])
        .when(recordBudget({ phase: 'approved', amountCop: 100_000_000 }))
        .thenFails(InvalidCommand, { rule: 'required_to_change_approved_amount' });
    });

    it('records an adjustment with its reason', () => {
      given(approved)
        .when(
          recordBudget({ phase: 'adjusted', amountCop: 70_000_000, reason: 'Recorte del concejo' }),
        )
        .then([
          budgetRecorded({
            phase: 'adjusted',
            amountCop: 70_000_000,
            reason: 'Recorte del concejo',
          }),
        ]);
    });

    it('records the same approved amount again without a reason', () => {
      given(approved)
        .when(recordBudget({ phase: 'approved', amountCop: 100_000_000 }))
        .then([budgetRecorded({ phase: 'approved', amountCop: 100_000_000 })]);
    });

    it('refuses an adjustment before any approval', () => {
      given(history)
        .when(recordBudget({ phase: 'adjusted', reason: 'Adición' }))
        .thenFails(InvalidCommand, { field: 'phase', rule: 'requires_approved_amount' });
    });

    it('refuses a funding source that differs from the line', () => {
      given(approved)
        .when(recordBudget({ phase: 'executed', fundingSource: 'SGP' }))
        .thenFails(InvalidCommand, { field: 'fundingSource', rule: 'matches_budget_line' });
    });

    it('refuses a milestone that differs from the line', () => {
      given(approved)
        .when(recordBudget({ phase: 'executed', milestoneId: 'm1' }))
        .thenFails(InvalidCommand, { field: 'milestoneId', rule: 'matches_budget_line' });
    });

    it.each([
      ['negative', -1, 'range'],
      ['in centavos', 1_000.5, 'integer'],
      ['beyond 2^53', 2 ** 53, 'integer'],
    ])('refuses an amount %s', (_what, amountCop, rule) => {
      given(history)
        .when(recordBudget({ amountCop }))
        .thenFails(InvalidCommand, { field: 'amountCop', rule });
    });

    it('refuses an unknown phase', () => {
      given(history)
        .when(recordBudget({ phase: 'committed' as never }))
        .thenFails(InvalidCommand, { field: 'phase', rule: 'one_of' });
    });
  });

  it('corrects a progress report', () => {
    given(history)
      .when(correctEvent({ eventId: 'event-6', corrected: { percent: 35 } }))
      .then([
        corrected({
          correctedEventId: 'event-6',
          reason: 'El dato se digitó mal',
          replacement: progressReported('m1', 35),
        }),
      ]);
  });

  it('refuses to correct an event that is not in the stream', () => {
    given(history)
      .when(correctEvent({ eventId: 'event-99' }))
      .thenFails(EventNotFound, { code: 'EVENT_NOT_FOUND', field: 'eventId' });
  });
});

const closedCases = (status: 'completed' | 'withdrawn') =>
  oneOfEachCommand()
    .filter((c) => c.type !== 'RegisterCommitment' && c.type !== 'CorrectEvent')
    .map((c) => [c.type, status, c] as const);

describe.each(['completed', 'withdrawn'] as const)('when %s', (status) => {
  const history = histories[status];

  it.each(closedCases(status))('refuses %s: the commitment is %s', (_type, _status, command) => {
    given(history)
      .when(command)
      .thenFails(CommitmentClosed, { code: 'COMMITMENT_CLOSED', status, command: command.type });
  });

  it('refuses a second registration', () => {
    given(history).when(register()).thenFails(CommitmentAlreadyRegistered);
  });

  it('still takes a correction', () => {
    given(history)
      .when(correctEvent({ eventId: 'event-1', corrected: { problem: 'Texto corregido' } }))
      .then([
        corrected({
          correctedEventId: 'event-1',
          correctedEventType: 'CommitmentRegistered',
          reason: 'El dato se digitó mal',
          replacement: registered({ problem: 'Texto corregido' }),
        }),
      ]);
  });

  it(`refuses to correct the ${status === 'completed' ? 'completion' : 'withdrawal'}`, () => {
    const last = `event-${history.length}`;
    given(history)
      .when(correctEvent({ eventId: last, corrected: { reason: 'otra' } }))
      .thenFails(UncorrectableEvent, { rule: 'not_correctable' });
  });
});

describe('a milestone rescheduled after publication', () => {
  it('can be rescheduled again, each time with a reason', () => {
    given([...histories.in_progress, milestoneRescheduled('m1')])
      .when(rescheduleMilestone({ plannedEnd: '2023-10', reason: 'Segunda ampliación' }))
      .then([milestoneRescheduled('m1', { plannedEnd: '2023-10', reason: 'Segunda ampliación' })]);
  });
});
