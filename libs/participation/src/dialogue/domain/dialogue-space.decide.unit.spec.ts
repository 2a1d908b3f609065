import { describe, it } from '@jest/globals';
import { InvalidCommand } from '#kernel';
import { given } from '../../../test/dialogue-space.decider-spec.js';
import {
  actionAgreed,
  attendanceRecorded,
  COMMITMENT_ID,
  convened,
  held,
  recordSpace,
  SHA,
  SPACE_ID,
} from '../../../test/dialogue-space.fixtures.js';
import {
  DialogueSpaceNotFound,
  DialogueSpaceStatusForbids,
  ImprovementActionAlreadyAgreed,
  ImprovementActionClosed,
  ImprovementActionNotFound,
} from './dialogue-space.errors.js';
import type { DialogueSpaceCommand } from './dialogue-space.commands.js';

const NOW = '2023-03-01T15:00:00.000Z';

const attendance = (data: Record<string, unknown>): DialogueSpaceCommand => ({
  type: 'RecordAttendance',
  data: { dialogueSpaceId: SPACE_ID, total: 10, ...data },
});

const agree = (data: Record<string, unknown> = {}): DialogueSpaceCommand => ({
  type: 'AgreeImprovementAction',
  data: {
    dialogueSpaceId: SPACE_ID,
    actionId: 'a1',
    commitmentId: COMMITMENT_ID,
    description: 'Publicar el presupuesto por localidad',
    responsibleAgency: 'Secretaría de Hacienda',
    dueDate: '2023-06-30',
    ...data,
  },
});

const report = (data: Record<string, unknown>): DialogueSpaceCommand => ({
  type: 'ReportImprovementAction',
  data: { dialogueSpaceId: SPACE_ID, actionId: 'a1', status: undefined, ...data },
});

describe('recording a dialogue space', () => {
  it('convenes a new space with the lead agency of its commitments', () => {
    given([]).when(recordSpace()).then([convened()]);
  });

  it('records a space that already met as convened and held at once', () => {
    given([])
      .when(recordSpace({ status: 'held' }))
      .then([convened(), held()]);
  });

  it('keeps the territory when one is given', () => {
    given([])
      .when(recordSpace({ territoryId: 'localidad-2' }))
      .then([{ ...convened(), data: { ...convened().data, territoryId: 'localidad-2' } }]);
  });

  it('refuses a territory not in the jurisdiction, naming the field', () => {
    given([])
      .when(recordSpace({ territoryId: 'bogota' }))
      .thenFails(InvalidCommand, { field: 'territoryId', rule: 'unknown_territory' });
  });

  it('refuses an unknown kind, an empty agenda, and no commitment', () => {
    given([])
      .when(recordSpace({ kind: 'party' }))
      .thenFails(InvalidCommand, { field: 'kind', rule: 'one_of' });
    given([])
      .when(recordSpace({ agenda: [] }))
      .thenFails(InvalidCommand, { field: 'agenda', rule: 'required' });
    given([])
      .when(recordSpace({ commitmentIds: [] }))
      .thenFails(InvalidCommand, { field: 'commitmentIds', rule: 'required' });
  });

  it('refuses a notice after the start, or one given later than now', () => {
    given([])
      .when(recordSpace({ convenedAt: '2023-02-21T00:00:00.000Z' }))
      .thenFails(InvalidCommand, { field: 'convenedAt', rule: 'not_after_start' });
    given([])
      .when(
        recordSpace({
          convenedAt: '2023-04-01T00:00:00.000Z',
          startsAt: '2023-04-02T00:00:00.000Z',
        }),
      )
      .thenFails(InvalidCommand, { field: 'convenedAt', rule: 'not_in_future' });
  });

  it('does not hold a space that starts later than now', () => {
    given([])
      .when(recordSpace({ status: 'held', startsAt: '2023-03-20T00:00:00.000Z' }))
      .thenFails(InvalidCommand, { field: 'status', rule: 'not_in_future' });
  });

  it('refuses to cancel a space never recorded', () => {
    given([])
      .when(recordSpace({ status: 'cancelled', reason: 'lluvia' }))
      .thenFails(DialogueSpaceNotFound, { code: 'DIALOGUE_SPACE_NOT_FOUND' });
  });

  it('revises a recorded space with a reason, and a change without one is refused', () => {
    given([convened()])
      .when(recordSpace({ place: 'Biblioteca', reason: 'El centro no estaba disponible.' }))
      .then([
        {
          type: 'DialogueSpaceRevised',
          data: {
            dialogueSpaceId: SPACE_ID,
            changes: { place: 'Biblioteca' },
            reason: 'El centro no estaba disponible.',
          },
        },
      ]);
    given([convened()])
      .when(recordSpace({ place: 'Biblioteca' }))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'required_to_change' });
  });

  it('records a dropped territory as null: the space becomes district-wide', () => {
    const withTerritory = {
      ...convened(),
      data: { ...convened().data, territoryId: 'localidad-1' },
    };
    given([withTerritory])
      .when(recordSpace({ reason: 'Abierta a todo el Distrito.' }))
      .then([
        {
          type: 'DialogueSpaceRevised',
          data: {
            dialogueSpaceId: SPACE_ID,
            changes: { territoryId: null },
            reason: 'Abierta a todo el Distrito.',
          },
        },
      ]);
  });

  it('refuses a record that changes nothing', () => {
    given([convened()])
      .when(recordSpace())
      .thenFails(InvalidCommand, { field: 'input', rule: 'no_change' });
  });

  it('holds a convened space', () => {
    given([convened()])
      .when(recordSpace({ status: 'held' }))
      .then([held()]);
  });

  it('cancels a convened space with a reason, and not without one', () => {
    given([convened()])
      .when(recordSpace({ status: 'cancelled', reason: 'Alerta por lluvias.' }))
      .then([
        {
          type: 'DialogueSpaceCancelled',
          data: { dialogueSpaceId: SPACE_ID, cancelledAt: NOW, reason: 'Alerta por lluvias.' },
        },
      ]);
    given([convened()])
      .when(recordSpace({ status: 'cancelled' }))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'required_to_cancel' });
  });

  it('takes no change on a cancelled space, and does not cancel or reconvene a held one', () => {
    const cancelled = {
      type: 'DialogueSpaceCancelled' as const,
      data: { dialogueSpaceId: SPACE_ID, cancelledAt: NOW, reason: 'x' },
    };
    given([convened(), cancelled])
      .when(recordSpace({ status: 'held' }))
      .thenFails(DialogueSpaceStatusForbids, {
        code: 'DIALOGUE_SPACE_STATUS_FORBIDS',
        status: 'cancelled',
      });
    given([convened(), held()])
      .when(recordSpace({ status: 'cancelled', reason: 'x' }))
      .thenFails(DialogueSpaceStatusForbids, { status: 'held' });
    given([convened(), held()])
      .when(recordSpace({ status: 'convened' }))
      .thenFails(DialogueSpaceStatusForbids, { status: 'held' });
  });

  it("refuses commitments of another lead agency than the space's", () => {
    given([convened()])
      .when(recordSpace({ agencyId: 'gobernacion-bolivar', reason: 'x' }))
      .thenFails(InvalidCommand, { field: 'commitmentIds', rule: 'one_lead_agency' });
  });
});

describe('recording attendance', () => {
  const byGroup = [
    { dimension: 'sex', category: 'female', count: 6 },
    { dimension: 'sex', category: 'male', count: 4 },
    { dimension: 'victims', category: 'armed_conflict_victim', count: 2 },
  ];
  const byTerritory = [
    { territoryId: 'localidad-1', count: 7 },
    { territoryId: 'bocachica', count: 3 },
  ];
  const minutes = {
    sha256: SHA,
    mediaType: 'application/pdf',
    url: 'https://example.org/acta.pdf',
  };

  it('records counts by group and territory with the minutes, once the space was held', () => {
    given([convened(), held()])
      .when(attendance({ byGroup, byTerritory, minutes }))
      .then([
        {
          type: 'AttendanceRecorded',
          data: {
            dialogueSpaceId: SPACE_ID,
            total: 10,
            byGroup,
            byTerritory,
            minutes,
            recordedAt: NOW,
          },
        },
      ]);
  });

  it('refuses attendance before the space was held, or of a space not recorded', () => {
    given([convened()])
      .when(attendance({}))
      .thenFails(DialogueSpaceStatusForbids, { status: 'convened' });
    given([]).when(attendance({})).thenFails(DialogueSpaceNotFound);
  });

  it("refuses a group's counts adding up to more than the total, naming the entry", () => {
    given([convened(), held()])
      .when(
        attendance({
          byGroup: [
            { dimension: 'sex', category: 'female', count: 6 },
            { dimension: 'sex', category: 'male', count: 5 },
          ],
        }),
      )
      .thenFails(InvalidCommand, { field: 'byGroup.1.count', rule: 'exceeds_total' });
    given([convened(), held()])
      .when(attendance({ byTerritory: [{ territoryId: 'localidad-1', count: 11 }] }))
      .thenFails(InvalidCommand, { field: 'byTerritory.0.count', rule: 'exceeds_total' });
  });

  it('refuses a negative or fractional count, an unknown territory, a category given twice', () => {
    given([convened(), held()])
      .when(attendance({ total: -1 }))
      .thenFails(InvalidCommand, { field: 'total', rule: 'range' });
    given([convened(), held()])
      .when(attendance({ byGroup: [{ dimension: 'sex', category: 'female', count: 1.5 }] }))
      .thenFails(InvalidCommand, { field: 'byGroup.0.count', rule: 'integer' });
    given([convened(), held()])
      .when(attendance({ byTerritory: [{ territoryId: 'medellin', count: 1 }] }))
      .thenFails(InvalidCommand, { field: 'byTerritory.0.territoryId', rule: 'unknown_territory' });
    given([convened(), held()])
      .when(attendance({ byGroup: [byGroup[0], byGroup[0]] }))
      .thenFails(InvalidCommand, { field: 'byGroup.1', rule: 'unique' });
  });

  it('accepts a dimension of its own (others are configurable)', () => {
    const own = [{ dimension: 'lgbtiq', category: 'yes', count: 1 }];
    given([convened(), held()])
      .when(attendance({ byGroup: own }))
      .then([
        {
          type: 'AttendanceRecorded',
          data: {
            dialogueSpaceId: SPACE_ID,
            total: 10,
            byGroup: own,
            byTerritory: [],
            recordedAt: NOW,
          },
        },
      ]);
  });

  it('refuses minutes whose hash or link is malformed', () => {
    given([convened(), held()])
      .when(attendance({ minutes: { ...minutes, sha256: 'ABC' } }))
      .thenFails(InvalidCommand, { field: 'minutes.sha256', rule: 'format' });
    given([convened(), held()])
      .when(attendance({ minutes: { ...minutes, url: 'ftp://x' } }))
      .thenFails(InvalidCommand, { field: 'minutes.url', rule: 'format' });
  });

  it('corrects an attendance only with a reason, keeping the minutes', () => {
    given([convened(), held(), attendanceRecorded(10)])
      .when(attendance({ total: 12 }))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'required_for_correction' });
    given([convened(), held(), attendanceRecorded(10)])
      .when(attendance({ total: 12, reason: 'Faltaban dos planillas.' }))
      .then([
        {
          type: 'AttendanceRecorded',
          data: {
            dialogueSpaceId: SPACE_ID,
            total: 12,
            byGroup: [],
            byTerritory: [],
            recordedAt: NOW,
            reason: 'Faltaban dos planillas.',
          },
        },
      ]);
    given([convened(), held(), attendanceRecorded(10)])
      .when(attendance({ total: 10, reason: 'igual' }))
      .thenFails(InvalidCommand, { field: 'input', rule: 'no_change' });
  });
});

describe('improvement actions', () => {
  it('agrees an action of a held space on one of its commitments', () => {
    given([convened(), held()])
      .when(agree())
      .then([{ ...actionAgreed(), data: { ...actionAgreed().data, agreedAt: NOW } }]);
  });

  it('refuses an action on a commitment the space does not concern, or a second with one id', () => {
    given([convened(), held()])
      .when(agree({ commitmentId: 'otro' }))
      .thenFails(InvalidCommand, { field: 'commitmentId', rule: 'not_concerned' });
    given([convened(), held(), actionAgreed()])
      .when(agree())
      .thenFails(ImprovementActionAlreadyAgreed, {
        code: 'IMPROVEMENT_ACTION_ALREADY_AGREED',
        actionId: 'a1',
      });
  });

  it('refuses an action before the space was held, and a due date before it met', () => {
    given([convened()]).when(agree()).thenFails(DialogueSpaceStatusForbids);
    given([convened(), held()])
      .when(agree({ dueDate: '2023-01-31' }))
      .thenFails(InvalidCommand, { field: 'dueDate', rule: 'not_before_start' });
  });

  it('reports progress with evidence, and completes at 100', () => {
    const evidence = [
      {
        sha256: SHA,
        mediaType: 'application/pdf',
        url: 'https://example.org/i.pdf',
        description: 'Informe',
      },
    ];
    given([convened(), held(), actionAgreed()])
      .when(report({ status: 'in_progress', percent: 40, evidence }))
      .then([
        {
          type: 'ImprovementActionReported',
          data: {
            dialogueSpaceId: SPACE_ID,
            actionId: 'a1',
            status: 'in_progress',
            percent: 40,
            evidence,
            reportedAt: NOW,
          },
        },
      ]);
    given([convened(), held(), actionAgreed()])
      .when(report({ status: 'completed' }))
      .then([
        {
          type: 'ImprovementActionReported',
          data: {
            dialogueSpaceId: SPACE_ID,
            actionId: 'a1',
            status: 'completed',
            percent: 100,
            evidence: [],
            reportedAt: NOW,
          },
        },
      ]);
  });

  it('cancels only with a reason; a closed action takes no report; an unknown one is not found', () => {
    given([convened(), held(), actionAgreed()])
      .when(report({ status: 'cancelled' }))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'required_to_cancel' });
    const completed = {
      type: 'ImprovementActionReported' as const,
      data: {
        dialogueSpaceId: SPACE_ID,
        actionId: 'a1',
        status: 'completed' as const,
        percent: 100,
        evidence: [],
        reportedAt: NOW,
      },
    };
    given([convened(), held(), actionAgreed(), completed])
      .when(report({ status: 'in_progress', percent: 50 }))
      .thenFails(ImprovementActionClosed, {
        code: 'IMPROVEMENT_ACTION_CLOSED',
        status: 'completed',
      });
    given([convened(), held()])
      .when(report({ status: 'in_progress', percent: 50 }))
      .thenFails(ImprovementActionNotFound, { code: 'IMPROVEMENT_ACTION_NOT_FOUND' });
    given([convened(), held(), actionAgreed()])
      .when(report({ status: 'in_progress', percent: 140 }))
      .thenFails(InvalidCommand, { field: 'percent', rule: 'range' });
  });
});
