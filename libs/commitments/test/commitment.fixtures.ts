import type {
  AddMilestone,
  CancelMilestone,
  CommitmentCommand,
  CompleteCommitment,
  CompleteMilestone,
  CorrectEvent,
  PublishCommitment,
  RecordBudget,
  RegisterCommitment,
  ReportProgress,
  RescheduleMilestone,
  ReviseCommitment,
  WithdrawCommitment,
} from '../src/domain/commitment.commands.js';
import type {
  BudgetRecorded,
  CommitmentCompleted,
  CommitmentEvent,
  CommitmentPublished,
  CommitmentRegistered,
  CommitmentRevised,
  CommitmentStarted,
  CommitmentWithdrawn,
  EventCorrected,
  Evidence,
  MilestoneAdded,
  MilestoneCancelled,
  MilestoneCompleted,
  MilestoneProgressReported,
  MilestoneRescheduled,
} from '../src/domain/commitment.events.js';
import { TEST_NOW } from './commitment.decider-spec.js';

// Small, valid building blocks for decider tests: events to put in `given`, commands to put in
// `when`. Each takes overrides so a test states only what it is about.

export const COMMITMENT_ID = 'c1';
/** The lead agency's id in `registered()`. */
export const AGENCY_ID = 'alcaldia-cartagena';
/** The time `decide` stamps on events in tests (`TEST_NOW`). */
export const NOW = TEST_NOW.toISOString();

const at = (day: string) => `${day}T14:00:00.000Z`;

export const evidence = (overrides: Partial<Evidence> = {}): Evidence =>
  ({
    kind: 'document',
    fileName: 'acta-comite-2023-02-10.txt',
    sha256: 'a'.repeat(64),
    mediaType: 'text/plain',
    description: 'Acta de la reunión del comité interno de rendición de cuentas',
    ...overrides,
  }) as Evidence;

export const registered = (
  overrides: Partial<CommitmentRegistered['data']> = {},
): CommitmentRegistered => ({
  type: 'CommitmentRegistered',
  data: {
    commitmentId: COMMITMENT_ID,
    code: 'CTG-2023-01',
    title: 'Estrategia de rendición de cuentas #CartagenaCuenta 2023',
    actionPlanId: 'cartagena-2023',
    startDate: '2023-01-01',
    endDate: '2023-12-31',
    leadAgency: {
      id: AGENCY_ID,
      name: 'Alcaldía Mayor de Cartagena de Indias',
      offices: ['Secretaría de Planeación', 'Oficina Asesora de Comunicaciones'],
    },
    stakeholders: ['FUNCICAR'],
    problem: 'Los espacios de rendición de cuentas no responden a las necesidades ciudadanas.',
    statusQuo: 'La rendición de cuentas se reduce al evento público semestral y anual.',
    action: 'Diseñar e implementar una estrategia de rendición de cuentas permanente.',
    contribution: 'Fortalece los canales de diálogo y el acceso a la información.',
    longTermGoal: 'Restablecer la confianza entre la ciudadanía y las instituciones.',
    policyAreas: ['Right to Information'],
    ogpValues: [{ value: 'transparency' }],
    territories: { localidades: [], comunas: [], corregimientos: [] },
    inclusionGroups: [],
    registeredAt: at('2023-01-10'),
    ...overrides,
  },
});

export const revised = (
  changes: CommitmentRevised['data']['changes'],
  reason = 'Ajuste acordado con el comité',
): CommitmentRevised => ({
  type: 'CommitmentRevised',
  data: { commitmentId: COMMITMENT_ID, changes, reason },
});

export const milestoneAdded = (
  milestoneId = 'm1',
  overrides: Partial<MilestoneAdded['data']> = {},
): MilestoneAdded => ({
  type: 'MilestoneAdded',
  data: {
    commitmentId: COMMITMENT_ID,
    milestoneId,
    title: `Hito ${milestoneId}`,
    responsibleOffice: 'Secretaría de Planeación',
    plannedStart: '2023-02',
    plannedEnd: '2023-06',
    ...overrides,
  },
});

export const published = (publishedAt = at('2023-01-16')): CommitmentPublished => ({
  type: 'CommitmentPublished',
  data: { commitmentId: COMMITMENT_ID, publishedAt },
});

export const started = (startedAt = NOW): CommitmentStarted => ({
  type: 'CommitmentStarted',
  data: { commitmentId: COMMITMENT_ID, startedAt },
});

export const progressReported = (
  milestoneId: string,
  percent: number,
  overrides: Partial<MilestoneProgressReported['data']> = {},
): MilestoneProgressReported => ({
  type: 'MilestoneProgressReported',
  data: { commitmentId: COMMITMENT_ID, milestoneId, percent, reportedAt: NOW, ...overrides },
});

export const milestoneRescheduled = (
  milestoneId: string,
  overrides: Partial<MilestoneRescheduled['data']> = {},
): MilestoneRescheduled => ({
  type: 'MilestoneRescheduled',
  data: {
    commitmentId: COMMITMENT_ID,
    milestoneId,
    plannedStart: '2023-03',
    plannedEnd: '2023-08',
    reason: 'La consulta ciudadana se amplió dos semanas',
    ...overrides,
  },
});

export const milestoneCompleted = (
  milestoneId: string,
  overrides: Partial<MilestoneCompleted['data']> = {},
): MilestoneCompleted => ({
  type: 'MilestoneCompleted',
  data: { commitmentId: COMMITMENT_ID, milestoneId, completedAt: NOW, ...overrides },
});

export const milestoneCancelled = (
  milestoneId: string,
  reason = 'El hito se fusionó con otro',
): MilestoneCancelled => ({
  type: 'MilestoneCancelled',
  data: { commitmentId: COMMITMENT_ID, milestoneId, cancelledAt: NOW, reason },
});

export const budgetRecorded = (
  overrides: Partial<BudgetRecorded['data']> = {},
): BudgetRecorded => ({
  type: 'BudgetRecorded',
  data: {
    commitmentId: COMMITMENT_ID,
    lineId: 'rubro-1',
    phase: 'approved',
    amountCop: 150_000_000,
    fundingSource: 'Recursos propios',
    ...overrides,
  } as BudgetRecorded['data'],
});

export const commitmentCompleted = (completedAt = NOW): CommitmentCompleted => ({
  type: 'CommitmentCompleted',
  data: { commitmentId: COMMITMENT_ID, completedAt },
});

export const withdrawn = (reason = 'La administración reformuló el plan'): CommitmentWithdrawn => ({
  type: 'CommitmentWithdrawn',
  data: { commitmentId: COMMITMENT_ID, withdrawnAt: NOW, reason },
});

export const corrected = (
  overrides: Partial<EventCorrected['data']> & Pick<EventCorrected['data'], 'correctedEventId'>,
): EventCorrected => ({
  type: 'EventCorrected',
  data: {
    commitmentId: COMMITMENT_ID,
    correctedEventType: 'MilestoneProgressReported',
    reason: 'El porcentaje se digitó mal',
    correctedAt: NOW,
    ...overrides,
  },
});

/** Histories that leave the commitment in each status. */
export const histories = {
  empty: [] as CommitmentEvent[],
  draft: [registered(), milestoneAdded('m1'), milestoneAdded('m2')] as CommitmentEvent[],
  get published(): CommitmentEvent[] {
    return [...this.draft, published()];
  },
  get in_progress(): CommitmentEvent[] {
    return [...this.published, started(), progressReported('m1', 40)];
  },
  get completed(): CommitmentEvent[] {
    return [
      ...this.in_progress,
      milestoneCompleted('m1'),
      milestoneCompleted('m2'),
      commitmentCompleted(),
    ];
  },
  get withdrawn(): CommitmentEvent[] {
    return [...this.published, withdrawn()];
  },
};

export const register = (
  overrides: Partial<RegisterCommitment['data']> = {},
): RegisterCommitment => {
  const { registeredAt: _at, ...data } = registered().data;
  return { type: 'RegisterCommitment', data: { ...data, ...overrides } };
};

export const revise = (
  changes: ReviseCommitment['data']['changes'] = { title: 'Estrategia integral' },
  reason = 'Ajuste acordado con el comité',
): ReviseCommitment => ({
  type: 'ReviseCommitment',
  data: { commitmentId: COMMITMENT_ID, changes, reason },
});

export const publish = (): PublishCommitment => ({
  type: 'PublishCommitment',
  data: { commitmentId: COMMITMENT_ID },
});

export const addMilestone = (overrides: Partial<AddMilestone['data']> = {}): AddMilestone => {
  const { commitmentId: _c, ...data } = milestoneAdded('m9').data;
  return { type: 'AddMilestone', data: { commitmentId: COMMITMENT_ID, ...data, ...overrides } };
};

export const rescheduleMilestone = (
  overrides: Partial<RescheduleMilestone['data']> = {},
): RescheduleMilestone => ({
  type: 'RescheduleMilestone',
  data: { ...milestoneRescheduled('m1').data, ...overrides },
});

export const reportProgress = (
  overrides: Partial<ReportProgress['data']> = {},
): ReportProgress => ({
  type: 'ReportProgress',
  data: { commitmentId: COMMITMENT_ID, milestoneId: 'm1', percent: 60, ...overrides },
});

export const completeMilestone = (
  overrides: Partial<CompleteMilestone['data']> = {},
): CompleteMilestone => ({
  type: 'CompleteMilestone',
  data: { commitmentId: COMMITMENT_ID, milestoneId: 'm1', ...overrides },
});

export const cancelMilestone = (
  overrides: Partial<CancelMilestone['data']> = {},
): CancelMilestone => ({
  type: 'CancelMilestone',
  data: {
    commitmentId: COMMITMENT_ID,
    milestoneId: 'm1',
    reason: 'El hito se fusionó con otro',
    ...overrides,
  },
});

export const completeCommitment = (): CompleteCommitment => ({
  type: 'CompleteCommitment',
  data: { commitmentId: COMMITMENT_ID },
});

export const withdraw = (reason = 'La administración reformuló el plan'): WithdrawCommitment => ({
  type: 'WithdrawCommitment',
  data: { commitmentId: COMMITMENT_ID, reason },
});

export const recordBudget = (overrides: Partial<RecordBudget['data']> = {}): RecordBudget => ({
  type: 'RecordBudget',
  data: {
    commitmentId: COMMITMENT_ID,
    lineId: 'rubro-1',
    phase: 'approved',
    amountCop: 150_000_000,
    fundingSource: 'Recursos propios',
    ...overrides,
  } as RecordBudget['data'],
});

export const correctEvent = (overrides: Partial<CorrectEvent['data']> = {}): CorrectEvent => ({
  type: 'CorrectEvent',
  data: {
    commitmentId: COMMITMENT_ID,
    eventId: 'event-1',
    reason: 'El dato se digitó mal',
    corrected: { title: 'Estrategia integral de rendición de cuentas' },
    ...overrides,
  },
});

/** One valid-looking instance of every command, for sweeps over states. */
export const oneOfEachCommand = (): CommitmentCommand[] => [
  register(),
  revise(),
  publish(),
  addMilestone(),
  rescheduleMilestone(),
  reportProgress(),
  completeMilestone(),
  cancelMilestone(),
  completeCommitment(),
  withdraw(),
  recordBudget(),
  correctEvent(),
];
