import type {
  ActionPlanCommand,
  AddMilestone,
  CommitmentCommand,
  Evidence,
  RegisterCommitment,
} from '../src/domain/index.js';
import { documents, type DemoDocument } from './cartagena-2023.documents.js';

// The founding case, #CartagenaCuenta 2023, from the project brief's seed document
// (shared/seeds/cartagena-2023-accountability-commitment.txt). The commitment and its seven milestones are the seed's, word for word (the
// seed is an English version of the OGP template; its bullet marks are written as "- "). What
// the seed does not say is marked where it is filled in: the code, the action plan id, the
// territorial scope, each milestone's responsible office, and the whole history after
// registration, which is a plausible demonstration, not a record of what happened.

export const CARTAGENA_2023_ID = 'cartagena-cuenta-2023';

const LEAD_AGENCY = "District Mayor's Office of Cartagena de Indias";
/** Not in the seed: the lead agency's id, which the demo's stewards carry in their tokens. */
export const CARTAGENA_2023_AGENCY_ID = 'alcaldia-cartagena';
const OFFICES = {
  communications: 'Communications Advisory Office',
  participation: 'Secretary of Participation and Social Development',
  planning: 'Secretary of Planning',
  schoolOfGovernment: 'School of Government and Leadership',
} as const;

const paragraphs = (...parts: string[]) => parts.join('\n\n');
const bullets = (...items: string[]) => items.map((item) => `- ${item}`).join('\n');

export const cartagena2023: RegisterCommitment['data'] = {
  commitmentId: CARTAGENA_2023_ID,
  // The seed has no code; this one is the commitment's hashtag, in the code format.
  code: 'CartagenaCuenta-2023',
  title:
    'Design and implementation of the comprehensive Accountability strategy of the District of ' +
    'Cartagena de Indias for the #CartagenaCuenta 2023 citizenship, with a territorial ' +
    'approach, social inclusion and permanent dialogue, with an emphasis on planning and ' +
    'public finances.',
  // Not in the seed, which names only "Cartagena de Indias, Colombia, 2023".
  actionPlanId: 'cartagena-2023',
  startDate: '2023-01-01',
  endDate: '2023-12-31',
  leadAgency: {
    id: CARTAGENA_2023_AGENCY_ID,
    name: LEAD_AGENCY,
    offices: [
      OFFICES.communications,
      OFFICES.participation,
      OFFICES.planning,
      OFFICES.schoolOfGovernment,
    ],
  },
  // The seed writes "Together for Transparency Program by USAID FUNCICAR": the USAID program
  // and FUNCICAR, its local partner (as the status quo says).
  stakeholders: ['Together for Transparency Program by USAID', 'FUNCICAR'],
  problem: paragraphs(
    'The accountability process has been one of the priorities of the administration ' +
      '"Let\'s save Cartagena together 2020-2023", seeking to inform, publicize and socialize ' +
      'citizens and other valued groups in the progress in management. However This process ' +
      'has not been without its difficulties and challenges.',
    'On the one hand, spaces have been designed in a way that, although they have informed, ' +
      'generated dialogue and reached the definition of commitments; they do not respond to the ' +
      'needs, interests and characteristics of citizens and other interested parties. Likewise, ' +
      'citizens face great technological, physical and economic limitations to access the ' +
      'institutional offer in the matter and to effectively relate to the administration.',
    'On the other hand, the use and appropriation of channels by the administration and ' +
      'citizens has lacked effectiveness. The administration has not made use of the channels ' +
      'preferred or most consumed by the public and on its own, the public does not make use of ' +
      'the channels that the administration has prioritized for the dissemination of ' +
      'information and dialogue.',
    'Finally, the administration has failed to identify priority issues and interests for ' +
      'accountability, causing these spaces to not meet the needs that citizens express in ' +
      'terms of dialogue and information.',
  ),
  statusQuo: paragraphs(
    'The administration »Save Cartagena Together 2020 - 2023« has made progress in ' +
      'strengthening its accountability strategy, in disseminating management results and in ' +
      'bringing citizens closer to the administration, however, in the process there have been ' +
      'drawbacks related to:\n' +
      bullets(
        'Insufficient resources allocated for the development of accountability spaces.',
        'Loss of confidence on the part of citizens and interest groups in spaces of ' +
          'accountability.',
        'Lack of recognition of the dialogue spaces that are developed by the district to ' +
          'inform others about the management.',
        'Varied and dissimilar expectations regarding the accountability process in different ' +
          'interest groups, which demand accountability strategies with differentiated actions ' +
          '(at the territorial, inclusion, and sectoral communication levels).',
        'Weakness in the processes of permanent accountability.',
      ),
    'It should be noted that since 2020, the District Administration, with the support of the ' +
      'USA-ID Together for Transparency program, and having FUNCICAR as a local partner, has ' +
      'worked to strengthen the relationship with citizens to obtain feedback and ' +
      'recommendations for the process of accountability, doing it with work groups with the ' +
      'Citizen Committee to Fight Corruption, with which important improvements have been ' +
      'achieved in the design of the accountability strategy. However, as accountability is ' +
      'reduced to the biannual and annual public event, the problems described above persist, ' +
      'which demand a more comprehensive and sustained strategy.',
  ),
  action: paragraphs(
    'This commitment seeks to improve access to information with citizen language, the use of ' +
      'various channels, encouraging citizen participation and dialogue through the design of a ' +
      'strategy with a territorial and social inclusion approach, which meets the interests and ' +
      'needs of dialogue. and information on citizens and valued groups.',
    'General objective: Design and implement the Accountability strategy of the District of ' +
      'Cartagena de Indias for citizenship #CartagenaCuenta 2023, with a territorial approach, ' +
      'social inclusion, and permanent public dialogue, with an emphasis on planning and public ' +
      'finances.',
  ),
  contribution:
    'The commitment named "Design and implementation of the Accountability strategy of the ' +
    'District of Cartagena de Indias for citizenship #CartagenaCuenta 2023, with a ' +
    'territorial, planning and public finance approach" contemplates the following change ' +
    'processes:\n' +
    bullets(
      'Comprehensive strengthening of dialogue channels.',
      'Facilitate access to information and boost citizen access to it.',
      "Identify the citizens' needs for dialogue and information.",
      'Review and adjust institutional planning, mission goals and improvement plans regarding ' +
        'accountability based on citizen feedback.',
      'Channel proposals for improving communication on public policies before internal ' +
        'control and competent bodies.',
      'Disseminate to the community the results of accountability and improvement plans.',
      'Design and implement institutional mechanisms for monitoring and citizen evaluation of ' +
        'accountability.',
      'Administratively institutionalize the successful processes that are generated within ' +
        'the framework of the Open Government process.',
    ),
  longTermGoal:
    'The Development Plan "Save Cartagena Together" 2020 - 2023 in its Cartagena Transparent ' +
    'Pillar has the Program "Transparency for the strengthening of confidence in the ' +
    'institutions of the district of Cartagena", which aims to reestablish the bonds of trust ' +
    'between society, the private sector, the public sector and its officials through ' +
    'strategies and facts of transparency, integrity, legality and open government, generating ' +
    'more leading roles for citizens in making decisions that affect them and monitoring them.',
  policyAreas: ['Right to Information', 'Civic Space'],
  // The seed's "Access to information" is the template's transparency value.
  ogpValues: [
    {
      value: 'transparency',
      relevance:
        'Access to information: To improve access to information, it is important to open new ' +
        'channels and spaces for conversation with the public.',
    },
    {
      value: 'public_accountability',
      relevance:
        'Accountability: Improve the accountability exercises that are being developed, in such ' +
        'a way that they are more participatory, inclusive and that they communicate clearly ' +
        'and permanently.',
    },
  ],
  // The seed's answer to "What resources are needed to achieve this commitment?".
  resources: 'YES',
  // Not in the seed: a district-wide strategy "with a territorial approach" covers the
  // district's three localidades. The seed names no inclusion groups.
  territories: {
    localidades: [
      'Localidad Histórica y del Caribe Norte',
      'Localidad de la Virgen y Turística',
      'Localidad Industrial y de la Bahía',
    ],
    comunas: [],
    corregimientos: [],
  },
  inclusionGroups: [],
};

type MilestoneData = Omit<AddMilestone['data'], 'commitmentId'>;

// Titles and months from the seed's section 14. The seed names no office per milestone;
// each gets the lead office whose remit matches it.
export const cartagena2023Milestones: MilestoneData[] = [
  {
    milestoneId: 'm1',
    title: 'Design of the 2023 accountability strategy',
    responsibleOffice: OFFICES.planning,
    plannedStart: '2023-01',
    plannedEnd: '2023-01',
  },
  {
    milestoneId: 'm2',
    title:
      'Implementation of strategies that guarantee participation in the prioritization of ' +
      'issues for accountability',
    responsibleOffice: OFFICES.participation,
    plannedStart: '2023-02',
    plannedEnd: '2023-02',
  },
  {
    milestoneId: 'm3',
    title: 'Review and selection of prioritized topics',
    responsibleOffice: OFFICES.planning,
    plannedStart: '2023-02',
    plannedEnd: '2023-02',
  },
  {
    milestoneId: 'm4',
    title:
      'Socialization of the accountability strategy with different government and civil ' +
      'society actors',
    responsibleOffice: OFFICES.communications,
    plannedStart: '2023-02',
    plannedEnd: '2023-03',
  },
  {
    milestoneId: 'm5',
    title: 'Progress meetings with the internal accountability committee to define commitments',
    responsibleOffice: OFFICES.planning,
    plannedStart: '2023-01',
    plannedEnd: '2023-03',
  },
  {
    milestoneId: 'm6',
    title:
      'Development of spaces for evaluation and feedback of the accountability process, with ' +
      'citizenship',
    responsibleOffice: OFFICES.participation,
    plannedStart: '2023-05',
    plannedEnd: '2023-12',
  },
  {
    milestoneId: 'm7',
    title: 'Implementation of the 2023 accountability strategy',
    responsibleOffice: OFFICES.communications,
    plannedStart: '2023-02',
    plannedEnd: '2023-12',
  },
];

/** Who a demo command is from, in the event store's actor shape. */
export interface DemoActor {
  subject: string;
  role: string;
  agency?: string;
}

/** One command of the demo history, with what the command handler needs around it. */
export interface DemoStep {
  /** Stable, so that loading the demo twice is recognised as the same commands. */
  commandId: string;
  /** Business time, ISO-8601 in UTC. */
  occurredAt: string;
  actor: DemoActor;
  command: CommitmentCommand;
}

const steward = (office: string): DemoActor => ({
  subject: `demo-${office}`,
  role: 'steward',
  agency: CARTAGENA_2023_AGENCY_ID,
});
const actors = {
  planning: steward('planeacion'),
  participation: steward('participacion'),
  communications: steward('comunicaciones'),
};

/** 09:00 in Cartagena (UTC-5, no daylight saving) on `day`, as an instant. */
const morning = (day: string) => new Date(`${day}T09:00:00-05:00`).toISOString();

const evidence = (d: DemoDocument): Evidence => ({
  kind: 'document',
  fileName: d.fileName,
  sha256: d.sha256,
  mediaType: d.mediaType,
  description: d.description,
});

const id = { commitmentId: CARTAGENA_2023_ID };

const progress = (
  milestoneId: string,
  percent: number,
  extra: { note?: string; evidence?: Evidence[] } = {},
): CommitmentCommand => ({
  type: 'ReportProgress',
  data: { ...id, milestoneId, percent, ...extra },
});

const complete = (milestoneId: string, doc: DemoDocument): CommitmentCommand => ({
  type: 'CompleteMilestone',
  data: { ...id, milestoneId, evidence: [evidence(doc)] },
});

const history: [day: string, actor: DemoActor, command: CommitmentCommand][] = [
  ['2023-01-10', actors.planning, { type: 'RegisterCommitment', data: cartagena2023 }],
  ...cartagena2023Milestones.map((m): [string, DemoActor, CommitmentCommand] => [
    '2023-01-10',
    actors.planning,
    { type: 'AddMilestone', data: { ...id, ...m } },
  ]),
  ['2023-01-16', actors.planning, { type: 'PublishCommitment', data: id }],
  [
    '2023-01-24',
    actors.planning,
    progress('m1', 60, { note: 'Borrador de la estrategia en revisión por el comité interno.' }),
  ],
  [
    '2023-01-27',
    actors.planning,
    progress('m5', 30, { evidence: [evidence(documents.committeeMinutesJanuary)] }),
  ],
  ['2023-01-31', actors.planning, complete('m1', documents.strategy)],
  [
    '2023-02-10',
    actors.participation,
    progress('m2', 40, {
      note: 'Consulta de priorización de temas abierta en canales digitales y presenciales.',
    }),
  ],
  [
    '2023-02-20',
    actors.planning,
    {
      type: 'RescheduleMilestone',
      data: {
        ...id,
        milestoneId: 'm3',
        plannedStart: '2023-03',
        plannedEnd: '2023-03',
        reason:
          'La consulta de priorización cierra el 28 de febrero y la revisión con el Comité ' +
          'Ciudadano de Lucha contra la Corrupción necesita sus resultados consolidados; la ' +
          'selección de temas pasa a marzo.',
      },
    },
  ],
  [
    '2023-02-24',
    actors.communications,
    progress('m4', 40, { note: 'Estrategia presentada a las dependencias del Distrito.' }),
  ],
  ['2023-02-28', actors.participation, complete('m2', documents.prioritizationResults)],
  ['2023-03-17', actors.planning, complete('m3', documents.topicSelectionMinutes)],
  ['2023-03-30', actors.communications, complete('m4', documents.socializationReport)],
  ['2023-03-31', actors.planning, complete('m5', documents.committeeMinutesMarch)],
  [
    '2023-04-28',
    actors.communications,
    progress('m7', 25, { evidence: [evidence(documents.implementationReportQ1)] }),
  ],
  [
    '2023-06-30',
    actors.participation,
    progress('m6', 20, { evidence: [evidence(documents.dialogueReportJune)] }),
  ],
  ['2023-07-31', actors.communications, progress('m7', 55)],
  ['2023-09-29', actors.participation, progress('m6', 50)],
  [
    '2023-10-31',
    actors.communications,
    progress('m7', 80, { evidence: [evidence(documents.implementationReportQ3)] }),
  ],
  [
    '2023-11-30',
    actors.participation,
    progress('m6', 70, { evidence: [evidence(documents.citizenEvaluationReport)] }),
  ],
];

/**
 * The demo history, oldest first: registration and the seven milestones, publication,
 * progress with evidence, milestone 3 rescheduled with a reason. It stops at the end of
 * November 2023 with milestones 6 and 7 still running, so the demo shows a commitment in
 * progress that still takes commands.
 */
export const cartagena2023History: DemoStep[] = history.map(([day, actor, command], i) => ({
  commandId: `demo-${CARTAGENA_2023_ID}-${String(i + 1).padStart(3, '0')}`,
  occurredAt: morning(day),
  actor,
  command,
}));

/** The demo's administrator, who registers the action plan (a plan spans agencies). */
const administrator: DemoActor = { subject: 'demo-administrador', role: 'administrator' };

/** One command of the demo's action-plan history. */
export interface PlanDemoStep {
  commandId: string;
  occurredAt: string;
  actor: DemoActor;
  command: ActionPlanCommand;
}

/**
 * The action plan the commitment's `actionPlanId` names. Not in the seed, which names only
 * "Cartagena de Indias, Colombia, 2023": the title, jurisdiction and OGP cycle are the demo's.
 * It is registered before the commitment, in implementation from the start of 2023.
 */
export const cartagena2023Plan = {
  actionPlanId: cartagena2023.actionPlanId,
  jurisdiction: 'Distrito de Cartagena de Indias',
  title: 'Plan de acción de gobierno abierto de Cartagena de Indias 2023',
  periodStart: '2023-01-01',
  periodEnd: '2023-12-31',
  ogpCycle: 'OGP Local 2022-2023',
  status: 'in_implementation',
} as const;

export const cartagena2023PlanHistory: PlanDemoStep[] = [
  {
    commandId: `demo-plan-${cartagena2023.actionPlanId}-001`,
    occurredAt: morning('2023-01-09'),
    actor: administrator,
    command: { type: 'RegisterActionPlan', data: { ...cartagena2023Plan } },
  },
];
