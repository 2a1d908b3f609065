import { createHash } from 'node:crypto';
import type { Actor, EventStore } from '#event-store';
import { DialogueSpaceCommandHandler, type DialogueSpaceCommand } from '../src/dialogue/index.js';

// The dialogue spaces of the Cartagena 2023 demo: the socialization of the strategy with
// government and civil society (milestone 4, February-March 2023) and the public hearing of
// 7 December 2023 (milestone 6), with attendance by localidad and group and the two
// improvement actions it agreed. The seed names the milestones and the hearing's month;
// places, counts and agreements are plausible, not the city's records.

/** The commitments demo's commitment and lead agency (libs/commitments/demo). */
const COMMITMENT = 'cartagena-cuenta-2023';
const AGENCY = 'alcaldia-cartagena';

const participation: Actor = { subject: 'demo-participacion', role: 'steward', agency: AGENCY };
const communications: Actor = { subject: 'demo-comunicaciones', role: 'steward', agency: AGENCY };

/** An instant in Cartagena (UTC-5, no daylight saving). */
const at = (day: string, time = '09:00') => new Date(`${day}T${time}:00-05:00`).toISOString();

/** A demo document: its text is what the SHA-256 is of, so anyone can check the hash. */
function document(name: string, text: string) {
  return {
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    mediaType: 'text/plain',
    url: `https://demo.cuenta.example/documentos/${name}`,
  };
}

const minutes = {
  dependencies: document(
    'acta-socializacion-dependencias-2023-02-22.txt',
    'Acta de la socialización de la estrategia #CartagenaCuenta 2023 con las dependencias ' +
      'del Distrito, 22 de febrero de 2023.',
  ),
  civilSociety: document(
    'acta-socializacion-sociedad-civil-2023-03-15.txt',
    'Acta de la socialización de la estrategia #CartagenaCuenta 2023 con organizaciones de ' +
      'la sociedad civil, 15 de marzo de 2023.',
  ),
  hearing: document(
    'acta-audiencia-publica-2023-12-07.txt',
    'Acta de la audiencia pública de rendición de cuentas #CartagenaCuenta 2023, 7 de ' +
      'diciembre de 2023.',
  ),
};

const budgetReport = document(
  'informe-ejecucion-presupuestal-2023-por-localidad-borrador.txt',
  'Borrador del informe de ejecución presupuestal 2023 por localidad, en lenguaje ciudadano.',
);

const sex = (female: number, male: number) => [
  { dimension: 'sex', category: 'female', count: female },
  { dimension: 'sex', category: 'male', count: male },
];

const HEARING = 'audiencia-publica-2023-12-07';
const hearing = {
  dialogueSpaceId: HEARING,
  kind: 'public_hearing',
  title: 'Audiencia pública de rendición de cuentas #CartagenaCuenta 2023',
  convenedAt: at('2023-11-07'),
  startsAt: at('2023-12-07'),
  place: 'Centro de Convenciones Cartagena de Indias, y transmisión en redes del Distrito',
  channel: 'hybrid',
  agenda: [
    'Informe de gestión 2023 del Plan de Desarrollo',
    'Planeación y finanzas públicas: ejecución del presupuesto 2023',
    'Resultados de la priorización ciudadana de temas',
    'Diálogo con la ciudadanía: preguntas y propuestas',
  ],
  commitmentIds: [COMMITMENT],
};

const hearingGroups = [
  ...sex(231, 176),
  { dimension: 'age_band', category: 'age_18_28', count: 84 },
  { dimension: 'age_band', category: 'age_29_59', count: 241 },
  { dimension: 'age_band', category: 'age_60_plus', count: 79 },
  { dimension: 'ethnic_group', category: 'afrocolombian', count: 168 },
  { dimension: 'ethnic_group', category: 'palenquero', count: 12 },
  { dimension: 'ethnic_group', category: 'indigenous', count: 6 },
  { dimension: 'disability', category: 'with_disability', count: 19 },
  { dimension: 'victims', category: 'armed_conflict_victim', count: 37 },
];

const hearingTerritories = (online: number) => [
  { territoryId: 'localidad-1', count: 143 + online },
  { territoryId: 'localidad-2', count: 121 },
  { territoryId: 'localidad-3', count: 102 },
  { territoryId: 'la-boquilla', count: 18 },
  { territoryId: 'pasacaballos', count: 11 },
  { territoryId: 'bocachica', count: 7 },
];

const history: [time: string, actor: Actor, command: DialogueSpaceCommand][] = [
  // Milestone 4: the strategy is socialized with government and civil society.
  [
    at('2023-02-15'),
    communications,
    {
      type: 'RecordDialogueSpace',
      data: {
        dialogueSpaceId: 'socializacion-dependencias-2023-02-22',
        kind: 'meeting',
        title: 'Socialización de la estrategia #CartagenaCuenta 2023 con las dependencias',
        convenedAt: at('2023-02-15'),
        startsAt: at('2023-02-22'),
        place: 'Centro Administrativo Distrital, Plaza de la Aduana',
        channel: 'in_person',
        territoryId: 'localidad-1',
        agenda: [
          'Estrategia de rendición de cuentas 2023',
          'Cronograma y responsables por dependencia',
        ],
        commitmentIds: [COMMITMENT],
      },
    },
  ],
  [
    at('2023-02-22', '13:00'),
    communications,
    {
      type: 'RecordDialogueSpace',
      data: {
        dialogueSpaceId: 'socializacion-dependencias-2023-02-22',
        status: 'held',
        kind: 'meeting',
        title: 'Socialización de la estrategia #CartagenaCuenta 2023 con las dependencias',
        convenedAt: at('2023-02-15'),
        startsAt: at('2023-02-22'),
        place: 'Centro Administrativo Distrital, Plaza de la Aduana',
        channel: 'in_person',
        territoryId: 'localidad-1',
        agenda: [
          'Estrategia de rendición de cuentas 2023',
          'Cronograma y responsables por dependencia',
        ],
        commitmentIds: [COMMITMENT],
      },
    },
  ],
  [
    at('2023-02-24'),
    communications,
    {
      type: 'RecordAttendance',
      data: {
        dialogueSpaceId: 'socializacion-dependencias-2023-02-22',
        total: 48,
        byGroup: sex(27, 21),
        minutes: minutes.dependencies,
      },
    },
  ],
  [
    at('2023-03-06'),
    communications,
    {
      type: 'RecordDialogueSpace',
      data: {
        dialogueSpaceId: 'socializacion-sociedad-civil-2023-03-15',
        kind: 'forum',
        title: 'Socialización de la estrategia con organizaciones de la sociedad civil',
        convenedAt: at('2023-03-06'),
        startsAt: at('2023-03-15', '15:00'),
        place: 'Auditorio de la Alcaldía de Cartagena, y sala virtual',
        channel: 'hybrid',
        agenda: [
          'Estrategia de rendición de cuentas 2023',
          'Canales de diálogo preferidos por la ciudadanía',
          'Papel del Comité Ciudadano de Lucha contra la Corrupción',
        ],
        commitmentIds: [COMMITMENT],
      },
    },
  ],
  [
    at('2023-03-08'),
    communications,
    {
      type: 'RecordDialogueSpace',
      data: {
        dialogueSpaceId: 'socializacion-localidad-3-2023-03-22',
        kind: 'meeting',
        title: 'Socialización de la estrategia con juntas de acción comunal de la Localidad 3',
        convenedAt: at('2023-03-08'),
        startsAt: at('2023-03-22', '17:00'),
        place: 'Institución Educativa de Pasacaballos',
        channel: 'in_person',
        territoryId: 'pasacaballos',
        agenda: ['Estrategia de rendición de cuentas 2023'],
        commitmentIds: [COMMITMENT],
      },
    },
  ],
  [
    at('2023-03-14', '18:00'),
    communications,
    {
      type: 'RecordDialogueSpace',
      data: {
        dialogueSpaceId: 'socializacion-sociedad-civil-2023-03-15',
        status: 'held',
        kind: 'forum',
        title: 'Socialización de la estrategia con organizaciones de la sociedad civil',
        convenedAt: at('2023-03-06'),
        startsAt: at('2023-03-14', '15:00'),
        place: 'Auditorio de la Alcaldía de Cartagena, y sala virtual',
        channel: 'hybrid',
        agenda: [
          'Estrategia de rendición de cuentas 2023',
          'Canales de diálogo preferidos por la ciudadanía',
          'Papel del Comité Ciudadano de Lucha contra la Corrupción',
        ],
        commitmentIds: [COMMITMENT],
        reason: 'Se adelantó un día para coincidir con la sesión del Comité Ciudadano.',
      },
    },
  ],
  [
    at('2023-03-17'),
    communications,
    {
      type: 'RecordAttendance',
      data: {
        dialogueSpaceId: 'socializacion-sociedad-civil-2023-03-15',
        total: 63,
        byGroup: [
          ...sex(35, 28),
          { dimension: 'ethnic_group', category: 'afrocolombian', count: 22 },
          { dimension: 'victims', category: 'armed_conflict_victim', count: 6 },
        ],
        byTerritory: [
          { territoryId: 'localidad-1', count: 29 },
          { territoryId: 'localidad-2', count: 18 },
          { territoryId: 'localidad-3', count: 14 },
        ],
        minutes: minutes.civilSociety,
      },
    },
  ],
  [
    at('2023-03-20'),
    communications,
    {
      type: 'RecordDialogueSpace',
      data: {
        dialogueSpaceId: 'socializacion-localidad-3-2023-03-22',
        status: 'cancelled',
        kind: 'meeting',
        title: 'Socialización de la estrategia con juntas de acción comunal de la Localidad 3',
        convenedAt: at('2023-03-08'),
        startsAt: at('2023-03-22', '17:00'),
        place: 'Institución Educativa de Pasacaballos',
        channel: 'in_person',
        territoryId: 'pasacaballos',
        agenda: ['Estrategia de rendición de cuentas 2023'],
        commitmentIds: [COMMITMENT],
        reason:
          'La institución educativa no tuvo el salón disponible; las juntas de la Localidad 3 ' +
          'se invitaron al foro con la sociedad civil.',
      },
    },
  ],
  // Milestone 6: the public hearing of 7 December 2023.
  [at('2023-11-07'), participation, { type: 'RecordDialogueSpace', data: hearing }],
  [
    at('2023-12-07', '14:00'),
    participation,
    { type: 'RecordDialogueSpace', data: { ...hearing, status: 'held' } },
  ],
  [
    at('2023-12-11'),
    participation,
    {
      type: 'RecordAttendance',
      data: {
        dialogueSpaceId: HEARING,
        total: 412,
        byGroup: hearingGroups,
        byTerritory: hearingTerritories(0),
        minutes: minutes.hearing,
      },
    },
  ],
  [
    at('2023-12-11', '10:00'),
    participation,
    {
      type: 'AgreeImprovementAction',
      data: {
        dialogueSpaceId: HEARING,
        actionId: 'presupuesto-por-localidad',
        commitmentId: COMMITMENT,
        description:
          'Publicar en lenguaje ciudadano la ejecución del presupuesto 2023 por localidad y ' +
          'corregimiento, con lo invertido en cada uno.',
        responsibleAgency: 'Secretaría de Hacienda Distrital',
        dueDate: '2024-02-29',
      },
    },
  ],
  [
    at('2023-12-11', '10:05'),
    participation,
    {
      type: 'AgreeImprovementAction',
      data: {
        dialogueSpaceId: HEARING,
        actionId: 'mesas-territoriales',
        commitmentId: COMMITMENT,
        description:
          'Realizar mesas de diálogo en las tres localidades y en los corregimientos antes de ' +
          'la próxima audiencia, en horarios acordados con las juntas de acción comunal.',
        responsibleAgency: 'Secretaría de Participación y Desarrollo Social',
        dueDate: '2024-06-30',
      },
    },
  ],
  [
    at('2023-12-14'),
    participation,
    {
      type: 'RecordAttendance',
      data: {
        dialogueSpaceId: HEARING,
        total: 437,
        byGroup: hearingGroups,
        byTerritory: hearingTerritories(25),
        reason:
          'Se suman 25 personas que se registraron en la transmisión en línea desde la ' +
          'Localidad 1; el primer conteo solo tenía las planillas presenciales.',
      },
    },
  ],
  [
    at('2023-12-22'),
    participation,
    {
      type: 'ReportImprovementAction',
      data: {
        dialogueSpaceId: HEARING,
        actionId: 'presupuesto-por-localidad',
        status: 'in_progress',
        percent: 40,
        note: 'Borrador del informe por localidad en revisión con la Secretaría de Hacienda.',
        evidence: [{ ...budgetReport, description: 'Borrador del informe por localidad' }],
      },
    },
  ],
];

/** The demo's dialogue commands, in order, with stable command ids. */
export const dialogueDemoSteps = history.map(([occurredAt, actor, command], i) => ({
  commandId: `demo-dialogue-${String(i + 1).padStart(3, '0')}`,
  occurredAt,
  actor,
  command,
}));

/** Records the dialogue demo; a second run records nothing new. */
export async function loadDialogueDemo(store: EventStore): Promise<number> {
  const handler = new DialogueSpaceCommandHandler(store);
  for (const step of dialogueDemoSteps) {
    await handler.handle({
      command: step.command,
      issuer: { kind: 'trusted', actor: step.actor },
      commandId: step.commandId,
      occurredAt: new Date(step.occurredAt),
    });
  }
  return dialogueDemoSteps.length;
}
