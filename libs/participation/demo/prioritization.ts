import type { Actor as RecordedActor, EventStore } from '#event-store';
import { PrioritizationCommandHandler } from '../src/prioritization/application/prioritization-command.handler.js';
import type { PrioritizationCommand } from '../src/prioritization/domain/index.js';
import type { ParticipationDemo } from './participation-demo.js';

// Milestone 2 of the Cartagena commitment ("participation in the prioritization of issues for
// accountability", February 2023): an exercise on planning and public finances, ranked by
// citizens over three weeks, closed with its Borda result. Ids as the commitments demo
// records them.
const COMMITMENT_ID = 'cartagena-cuenta-2023';
const AGENCY_ID = 'alcaldia-cartagena';
export const DEMO_PRIORITIZATION_ID = 'temas-rendicion-2023';

const steward: RecordedActor = {
  subject: 'demo-participacion',
  role: 'steward',
  agency: AGENCY_ID,
};
const citizen = (n: number): RecordedActor => ({
  subject: `anon:demo-ciudadania-${String(n).padStart(2, '0')}`,
  role: 'anonymous',
});

/** Cartagena's time (UTC-5, no daylight saving) as an instant. */
const at = (day: string, time = '09:00') => new Date(`${day}T${time}:00-05:00`).toISOString();

const TOPICS = [
  { id: 'presupuesto-participativo', title: 'Presupuesto participativo por localidad' },
  {
    id: 'plan-de-desarrollo',
    title: 'Avance del Plan de Desarrollo "Salvemos Juntos a Cartagena"',
  },
  { id: 'deuda-publica', title: 'Deuda pública y finanzas del Distrito' },
  { id: 'contratacion', title: 'Contratación pública y obras inconclusas' },
  { id: 'recaudo-predial', title: 'Recaudo del impuesto predial y su inversión' },
  { id: 'inversion-ucg', title: 'Inversión en las Unidades Comuneras de Gobierno' },
];

// Rankings as citizens gave them: most important first, some of them partial.
const BALLOTS: [day: string, voter: number, ranking: string[]][] = [
  ['2023-02-02', 1, ['presupuesto-participativo', 'inversion-ucg', 'plan-de-desarrollo']],
  [
    '2023-02-03',
    2,
    [
      'contratacion',
      'deuda-publica',
      'presupuesto-participativo',
      'plan-de-desarrollo',
      'recaudo-predial',
      'inversion-ucg',
    ],
  ],
  ['2023-02-03', 3, ['plan-de-desarrollo', 'presupuesto-participativo', 'contratacion']],
  ['2023-02-06', 4, ['inversion-ucg', 'presupuesto-participativo']],
  [
    '2023-02-07',
    5,
    ['contratacion', 'plan-de-desarrollo', 'deuda-publica', 'presupuesto-participativo'],
  ],
  [
    '2023-02-09',
    6,
    ['presupuesto-participativo', 'contratacion', 'inversion-ucg', 'recaudo-predial'],
  ],
  ['2023-02-10', 7, ['deuda-publica', 'recaudo-predial', 'plan-de-desarrollo']],
  [
    '2023-02-13',
    8,
    ['plan-de-desarrollo', 'inversion-ucg', 'presupuesto-participativo', 'contratacion'],
  ],
  // Voter 4 changes their mind: this ballot replaces the one of 6 February.
  ['2023-02-15', 4, ['presupuesto-participativo', 'inversion-ucg', 'contratacion']],
  [
    '2023-02-16',
    9,
    [
      'contratacion',
      'presupuesto-participativo',
      'plan-de-desarrollo',
      'deuda-publica',
      'inversion-ucg',
      'recaudo-predial',
    ],
  ],
  ['2023-02-20', 10, ['recaudo-predial', 'deuda-publica', 'contratacion']],
  [
    '2023-02-22',
    11,
    ['presupuesto-participativo', 'plan-de-desarrollo', 'contratacion', 'inversion-ucg'],
  ],
];

const id = { prioritizationId: DEMO_PRIORITIZATION_ID };

/** The demo's commands, oldest first, with stable command ids. */
export const prioritizationDemoSteps: {
  commandId: string;
  occurredAt: string;
  actor: RecordedActor;
  command: PrioritizationCommand;
}[] = [
  {
    commandId: `demo-${DEMO_PRIORITIZATION_ID}-open`,
    occurredAt: at('2023-02-01', '08:00'),
    actor: steward,
    command: {
      type: 'OpenPrioritization',
      data: {
        ...id,
        title: 'Temas prioritarios para la rendición de cuentas 2023',
        description:
          'Ordene los temas que la Alcaldía debe explicar primero en la rendición de cuentas ' +
          '2023. Puede ordenar todos o solo algunos; puede cambiar su voto hasta el cierre.',
        agencyId: AGENCY_ID,
        commitmentId: COMMITMENT_ID,
        milestoneId: 'm2',
        topics: TOPICS,
        opensAt: at('2023-02-01'),
        closesAt: at('2023-02-24', '17:00'),
        method: 'borda',
      },
    },
  },
  ...BALLOTS.map(([day, voter, ranking], i) => ({
    commandId: `demo-${DEMO_PRIORITIZATION_ID}-ballot-${String(i + 1).padStart(2, '0')}`,
    occurredAt: at(day, '19:30'),
    actor: citizen(voter),
    command: {
      type: 'CastBallot' as const,
      data: { ...id, participant: citizen(voter).subject, ranking },
    },
  })),
  {
    commandId: `demo-${DEMO_PRIORITIZATION_ID}-close`,
    occurredAt: at('2023-02-27'),
    actor: steward,
    command: { type: 'ClosePrioritization', data: id },
  },
];

/** Milestone 2's prioritization exercise, closed with its result. */
export const prioritizationDemo: ParticipationDemo = {
  part: 'prioritization',
  async load(store: EventStore) {
    const handler = new PrioritizationCommandHandler(store);
    for (const step of prioritizationDemoSteps) {
      await handler.handle({
        command: step.command,
        issuer: { kind: 'trusted', actor: step.actor },
        commandId: step.commandId,
        occurredAt: new Date(step.occurredAt),
      });
    }
    return prioritizationDemoSteps.length;
  },
};
