import type {
  DialogueSpaceCommand,
  DialogueSpaceConvened,
  DialogueSpaceEvent,
  ImprovementActionAgreed,
  RecordDialogueSpace,
} from '../src/dialogue/domain/index.js';

// Commands and events of one dialogue space, for the decider's and read model's tests.

export const SPACE_ID = 'audiencia-2023';
export const AGENCY_ID = 'alcaldia-cartagena';
export const COMMITMENT_ID = 'cartagena-cuenta-2023';
export const SHA = 'a'.repeat(64);

export const spaceInput = (
  extra: Partial<RecordDialogueSpace['data']> = {},
): RecordDialogueSpace['data'] => ({
  dialogueSpaceId: SPACE_ID,
  kind: 'public_hearing',
  title: 'Audiencia pública',
  convenedAt: '2023-02-01T14:00:00.000Z',
  startsAt: '2023-02-20T14:00:00.000Z',
  place: 'Centro de Convenciones',
  channel: 'hybrid',
  agenda: ['Informe de gestión'],
  commitmentIds: [COMMITMENT_ID],
  agencyId: AGENCY_ID,
  ...extra,
});

export const recordSpace = (
  extra: Partial<RecordDialogueSpace['data']> = {},
): DialogueSpaceCommand => ({ type: 'RecordDialogueSpace', data: spaceInput(extra) });

export const convened = (recordedAt = '2023-03-01T15:00:00.000Z'): DialogueSpaceConvened => ({
  type: 'DialogueSpaceConvened',
  data: {
    dialogueSpaceId: SPACE_ID,
    agencyId: AGENCY_ID,
    kind: 'public_hearing',
    title: 'Audiencia pública',
    convenedAt: '2023-02-01T14:00:00.000Z',
    startsAt: '2023-02-20T14:00:00.000Z',
    place: 'Centro de Convenciones',
    channel: 'hybrid',
    agenda: ['Informe de gestión'],
    commitmentIds: [COMMITMENT_ID],
    recordedAt,
  },
});

export const held = (): DialogueSpaceEvent => ({
  type: 'DialogueSpaceHeld',
  data: { dialogueSpaceId: SPACE_ID, heldAt: '2023-02-20T14:00:00.000Z' },
});

export const attendanceRecorded = (total = 10): DialogueSpaceEvent => ({
  type: 'AttendanceRecorded',
  data: {
    dialogueSpaceId: SPACE_ID,
    total,
    byGroup: [],
    byTerritory: [],
    recordedAt: '2023-03-01T15:00:00.000Z',
  },
});

export const actionAgreed = (actionId = 'a1'): ImprovementActionAgreed => ({
  type: 'ImprovementActionAgreed',
  data: {
    dialogueSpaceId: SPACE_ID,
    actionId,
    commitmentId: COMMITMENT_ID,
    description: 'Publicar el presupuesto por localidad',
    responsibleAgency: 'Secretaría de Hacienda',
    dueDate: '2023-06-30',
    agreedAt: '2023-03-01T15:00:00.000Z',
  },
});
