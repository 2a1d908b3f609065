/**
 * The red-flag rules: coded, versioned, each with its threshold and why it matters. A rule's
 * version changes whenever what it flags changes, so a published flag names the exact rule
 * that raised it. docs/oversight/red-flags.md explains each one to its readers.
 */

/** Every rule's code, in the order they are published. */
export const RULE_CODES = [
  'CF-01',
  'CF-02',
  'CF-03',
  'CF-04',
  'CF-05',
  'CF-06',
  'CF-07',
  'CF-08',
  'CF-09',
  'CF-10',
  'CF-11',
  'CF-12',
  'CF-13',
  'CF-14',
  'CF-15',
  'CF-16',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/** The configurable thresholds; each rule names the ones it reads. */
export interface Thresholds {
  /** CF-01: reschedules a milestone may have before it is flagged. */
  maxReschedules: number;
  /** CF-03: days a business time may lie before its recording before the change is flagged. */
  retroactiveDays: number;
  /** CF-10: days without any event on an in-progress commitment. */
  inactivityDays: number;
  /** CF-11: points a milestone's progress may jump at once in the commitment's last month. */
  lastMonthJumpPoints: number;
  /** CF-11: how many days before its end date make a commitment's "last month". */
  lastMonthDays: number;
  /** CF-15: days of notice a dialogue space needs between its convening and its start. */
  minNoticeDays: number;
  /** CF-16: days a held public hearing may go without minutes. */
  minutesDays: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = {
  maxReschedules: 1,
  retroactiveDays: 7,
  inactivityDays: 90,
  lastMonthJumpPoints: 60,
  lastMonthDays: 30,
  minNoticeDays: 8,
  minutesDays: 30,
};

/**
 * The range each threshold may take. The fold keeps only what the lowest allowed value can
 * need (lags of a day or more, gaps of 30 days or more), so the read model never has to be
 * rebuilt when a threshold changes within its range.
 */
export const THRESHOLD_RANGES: Readonly<Record<keyof Thresholds, readonly [number, number]>> = {
  maxReschedules: [0, 100],
  retroactiveDays: [1, 3650],
  inactivityDays: [30, 3650],
  lastMonthJumpPoints: [1, 100],
  lastMonthDays: [1, 366],
  minNoticeDays: [0, 365],
  minutesDays: [1, 3650],
};

export interface RuleDefinition {
  code: RuleCode;
  version: number;
  /** What it flags, in English and Spanish. */
  title: { en: string; es: string };
  /** Why it matters, in English and Spanish. */
  why: { en: string; es: string };
  /** The thresholds it reads (none for rules that flag any occurrence). */
  thresholds: readonly (keyof Thresholds)[];
  /** Whether it depends on the as-of time (and so changes with the clock). */
  timeDependent: boolean;
}

export const RULES: readonly RuleDefinition[] = [
  {
    code: 'CF-01',
    version: 1,
    title: {
      en: 'Milestone rescheduled more than the allowed number of times',
      es: 'Hito reprogramado más veces de las permitidas',
    },
    why: {
      en: 'Repeated rescheduling hides delays one small move at a time.',
      es: 'Reprogramar una y otra vez esconde los retrasos de a poco.',
    },
    thresholds: ['maxReschedules'],
    timeDependent: false,
  },
  {
    code: 'CF-02',
    version: 1,
    title: {
      en: "Milestone planned to end after its commitment's end date",
      es: 'Hito planeado para terminar después de la fecha final del compromiso',
    },
    why: {
      en: 'A milestone that cannot finish inside the commitment makes its end date unreal.',
      es: 'Un hito que no cabe en el compromiso hace irreal su fecha final.',
    },
    thresholds: [],
    timeDependent: false,
  },
  {
    code: 'CF-03',
    version: 1,
    title: {
      en: 'Retroactive change (backdated, or earlier than the previous change)',
      es: 'Cambio retroactivo (con fecha anterior a su registro, o a su cambio previo)',
    },
    why: {
      en: 'Backdating rewrites what the public was told at the time.',
      es: 'Fechar hacia atrás reescribe lo que se informó en su momento.',
    },
    thresholds: ['retroactiveDays'],
    timeDependent: false,
  },
  {
    code: 'CF-04',
    version: 1,
    title: {
      en: 'Approved budget reduced (or moved to another line)',
      es: 'Presupuesto aprobado reducido (o trasladado a otra línea)',
    },
    why: {
      en: 'Cutting or moving approved money changes what can be delivered.',
      es: 'Recortar o trasladar recursos aprobados cambia lo que se puede entregar.',
    },
    thresholds: [],
    timeDependent: false,
  },
  {
    code: 'CF-05',
    version: 1,
    title: { en: 'Executed above approved', es: 'Ejecución por encima de lo aprobado' },
    why: {
      en: 'Spending beyond the approved amount has no budget authority behind it.',
      es: 'Ejecutar más de lo aprobado no tiene respaldo presupuestal.',
    },
    thresholds: [],
    timeDependent: false,
  },
  {
    code: 'CF-06',
    version: 1,
    title: { en: 'Progress going backwards', es: 'Avance que retrocede' },
    why: {
      en: 'Progress that falls shows earlier reports were overstated.',
      es: 'Un avance que baja muestra que los reportes anteriores lo exageraron.',
    },
    thresholds: [],
    timeDependent: false,
  },
  {
    code: 'CF-07',
    version: 1,
    title: { en: 'Change after completion', es: 'Cambio después de cumplido' },
    why: {
      en: 'A completed commitment should not move; changes after it reopen what was closed.',
      es: 'Un compromiso cumplido no debería cambiar; hacerlo reabre lo cerrado.',
    },
    thresholds: [],
    timeDependent: false,
  },
  {
    code: 'CF-08',
    version: 1,
    title: {
      en: 'Past its end date and not completed',
      es: 'Vencido su plazo sin estar cumplido',
    },
    why: {
      en: 'The promised date has passed without the promise kept.',
      es: 'La fecha prometida pasó sin que se cumpliera.',
    },
    thresholds: [],
    timeDependent: true,
  },
  {
    code: 'CF-09',
    version: 1,
    title: {
      en: 'Completed, or a milestone at 100 %, with no evidence',
      es: 'Cumplido, o hito al 100 %, sin evidencia',
    },
    why: {
      en: 'Completion nobody can check is a claim, not a result.',
      es: 'Un cumplimiento que nadie puede verificar es una afirmación, no un resultado.',
    },
    thresholds: [],
    timeDependent: false,
  },
  {
    code: 'CF-10',
    version: 1,
    title: {
      en: 'No event on an in-progress commitment for too long',
      es: 'Compromiso en ejecución sin ningún evento por demasiado tiempo',
    },
    why: {
      en: 'Silence on work in progress usually means stalled work.',
      es: 'El silencio sobre un trabajo en curso suele indicar que se detuvo.',
    },
    thresholds: ['inactivityDays'],
    timeDependent: true,
  },
  {
    code: 'CF-11',
    version: 1,
    title: {
      en: "Progress jumping in the commitment's last month",
      es: 'Salto de avance en el último mes del compromiso',
    },
    why: {
      en: 'Large last-minute jumps suggest reporting to the deadline rather than the work.',
      es: 'Los saltos grandes al final sugieren reportar para la fecha y no por el trabajo.',
    },
    thresholds: ['lastMonthJumpPoints', 'lastMonthDays'],
    timeDependent: false,
  },
  {
    code: 'CF-12',
    version: 1,
    title: {
      en: 'Self-reported completion contradicted by an independent assessment',
      es: 'Cumplimiento autorreportado contradicho por una evaluación independiente',
    },
    why: {
      en: 'An independent assessor rated as not started or limited what the agency reported complete.',
      es: 'Un evaluador independiente calificó como no iniciado o limitado lo que la entidad reportó cumplido.',
    },
    thresholds: [],
    timeDependent: false,
  },
  {
    code: 'CF-13',
    version: 1,
    title: {
      en: 'Evaluation unanswered past its due date',
      es: 'Evaluación sin respuesta vencido su plazo',
    },
    why: {
      en: 'Citizens are owed an answer within the legal term (Ley 1755 de 2015).',
      es: 'La ciudadanía tiene derecho a respuesta en el término legal (Ley 1755 de 2015).',
    },
    thresholds: [],
    timeDependent: true,
  },
  {
    code: 'CF-14',
    version: 1,
    title: { en: 'Improvement action overdue', es: 'Acción de mejora vencida' },
    why: {
      en: 'What was agreed with citizens in a dialogue space was not done on time.',
      es: 'Lo acordado con la ciudadanía en un espacio de diálogo no se hizo a tiempo.',
    },
    thresholds: [],
    timeDependent: true,
  },
  {
    code: 'CF-15',
    version: 1,
    title: {
      en: 'Dialogue space convened with too little notice',
      es: 'Espacio de diálogo convocado con poca anticipación',
    },
    why: {
      en: 'Short notice keeps people from taking part.',
      es: 'Convocar con poca anticipación impide participar.',
    },
    thresholds: ['minNoticeDays'],
    timeDependent: false,
  },
  {
    code: 'CF-16',
    version: 1,
    title: {
      en: 'Public hearing without minutes for too long',
      es: 'Audiencia pública sin acta por demasiado tiempo',
    },
    why: {
      en: 'Without minutes, what was said and promised at the hearing cannot be checked.',
      es: 'Sin acta no se puede verificar lo dicho y prometido en la audiencia.',
    },
    thresholds: ['minutesDays'],
    timeDependent: true,
  },
];

/** A threshold configuration that is not valid, naming the key and what is wrong. */
export class InvalidThresholds extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidThresholds';
  }
}

/**
 * The thresholds in force: the defaults with `given` over them. `given` is parsed JSON (a
 * config value or a file), so everything about it is checked.
 * @throws InvalidThresholds naming the first key that is unknown, not an integer, or out of range.
 */
export function thresholdsFrom(given: unknown): Thresholds {
  if (given === undefined || given === null) return { ...DEFAULT_THRESHOLDS };
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new InvalidThresholds('', 'the thresholds must be a JSON object');
  }
  const result: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(THRESHOLD_RANGES, key)) {
      throw new InvalidThresholds(
        key,
        `${key} is not a red-flag threshold (known: ${Object.keys(THRESHOLD_RANGES).join(', ')})`,
      );
    }
    const [min, max] = THRESHOLD_RANGES[key as keyof Thresholds];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidThresholds(
        key,
        `${key} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`,
      );
    }
    result[key as keyof Thresholds] = value;
  }
  return result;
}
