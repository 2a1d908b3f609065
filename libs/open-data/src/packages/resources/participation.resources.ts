import { publishedAttendance, type AttendanceCount } from '../attendance.js';
import {
  LAST_POSITION_FIELD,
  STREAM_VERSION_FIELD,
  type ResourceSpec,
  type SourceRow,
} from '../resource.js';

const SHA256 = '^[0-9a-f]{64}$';

export const evaluationsResource: ResourceSpec = {
  name: 'evaluations',
  title: { es: 'Evaluaciones ciudadanas', en: "Citizens' evaluations" },
  description: {
    es: 'Una evaluación por fila, sin datos personales (ni comentario, ni contacto, ni grupos, ni quién la envió); las ocultadas por moderación quedan como marcador, sin calificaciones',
    en: 'One evaluation per row, without personal data (no comment, contact, groups or submitter); those hidden by moderation stay as a placeholder, without ratings',
  },
  primaryKey: ['id'],
  foreignKeys: [{ fields: ['commitmentId'], resource: 'commitments', reference: ['id'] }],
  fields: [
    {
      name: 'id',
      type: 'string',
      required: true,
      unique: true,
      description: { es: 'Identificador de la evaluación', en: 'Evaluation id' },
    },
    {
      name: 'targetKind',
      type: 'string',
      required: true,
      enum: ['commitment', 'milestone', 'dialogue_space'],
      description: {
        es: 'Qué evalúa: commitment, milestone o dialogue_space',
        en: 'What it evaluates: commitment, milestone or dialogue_space',
      },
    },
    {
      name: 'commitmentId',
      type: 'string',
      description: {
        es: 'Compromiso evaluado (o del hito evaluado)',
        en: 'The commitment evaluated (or of the milestone evaluated)',
      },
    },
    {
      name: 'milestoneId',
      type: 'string',
      description: { es: 'Hito evaluado', en: 'The milestone evaluated' },
    },
    {
      name: 'dialogueSpaceId',
      type: 'string',
      description: { es: 'Espacio de diálogo evaluado', en: 'The dialogue space evaluated' },
    },
    {
      name: 'agencyId',
      type: 'string',
      description: { es: 'Entidad que debe responder', en: 'The agency that must answer' },
    },
    {
      name: 'territory',
      type: 'string',
      required: true,
      description: { es: 'Territorio desde el que se evalúa', en: 'The territory it is sent from' },
    },
    {
      name: 'clarity',
      type: 'integer',
      minimum: 1,
      maximum: 5,
      description: {
        es: 'Calificación de claridad (1 a 5); vacía si no se dio o si está oculta',
        en: 'Clarity rating (1 to 5); empty if not given or hidden',
      },
    },
    {
      name: 'progress',
      type: 'integer',
      minimum: 1,
      maximum: 5,
      description: {
        es: 'Calificación del avance (1 a 5); vacía si no se dio o si está oculta',
        en: 'Progress rating (1 to 5); empty if not given or hidden',
      },
    },
    {
      name: 'dialogueUsefulness',
      type: 'integer',
      minimum: 1,
      maximum: 5,
      description: {
        es: 'Utilidad del espacio de diálogo (1 a 5); vacía si no se dio o si está oculta',
        en: "Dialogue space's usefulness (1 to 5); empty if not given or hidden",
      },
    },
    {
      name: 'submittedAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se envió (UTC)', en: 'When it was submitted (UTC)' },
    },
    {
      name: 'dueDate',
      type: 'date',
      required: true,
      description: {
        es: 'Fecha límite de la respuesta oficial (días hábiles en Colombia)',
        en: 'Due date of the official answer (Colombian business days)',
      },
    },
    {
      name: 'answerState',
      type: 'string',
      required: true,
      enum: ['answered', 'pending'],
      description: { es: 'answered (respondida) o pending (pendiente)', en: 'answered or pending' },
    },
    {
      name: 'moderationState',
      type: 'string',
      required: true,
      enum: ['visible', 'hidden'],
      description: {
        es: 'visible u hidden (ocultada por moderación)',
        en: 'visible or hidden (by moderation)',
      },
    },
    {
      name: 'hiddenCategory',
      type: 'string',
      description: {
        es: 'Por qué se ocultó: spam, offensive, exposes_personal_data, off_topic',
        en: 'Why it was hidden: spam, offensive, exposes_personal_data, off_topic',
      },
    },
    {
      name: 'hiddenAutomatic',
      type: 'boolean',
      description: {
        es: 'Si la ocultó el umbral automático de reportes',
        en: 'Whether the automatic report threshold hid it',
      },
    },
    {
      name: 'hiddenAt',
      type: 'datetime',
      description: { es: 'Cuándo se ocultó (UTC)', en: 'When it was hidden (UTC)' },
    },
    STREAM_VERSION_FIELD,
    LAST_POSITION_FIELD,
  ],
  sql: `
    SELECT id, target_kind AS "targetKind", commitment_id AS "commitmentId",
           milestone_id AS "milestoneId", dialogue_space_id AS "dialogueSpaceId",
           agency_id AS "agencyId", territory,
           CASE WHEN moderation_state = 'hidden' THEN NULL ELSE clarity END AS clarity,
           CASE WHEN moderation_state = 'hidden' THEN NULL ELSE progress END AS progress,
           CASE WHEN moderation_state = 'hidden' THEN NULL ELSE dialogue_usefulness END
             AS "dialogueUsefulness",
           submitted_at AS "submittedAt", due_date::text AS "dueDate",
           CASE WHEN answered_at IS NULL THEN 'pending' ELSE 'answered' END AS "answerState",
           moderation_state AS "moderationState", hidden_category AS "hiddenCategory",
           hidden_automatic AS "hiddenAutomatic", hidden_at AS "hiddenAt", version,
           last_position AS "lastPosition"
      FROM read.evaluations
     ORDER BY id`,
};

export const evaluationAnswersResource: ResourceSpec = {
  name: 'evaluation-answers',
  title: { es: 'Respuestas oficiales', en: 'Official answers' },
  description: {
    es: 'La respuesta oficial vigente de la entidad a cada evaluación respondida',
    en: "The agency's current official answer to each answered evaluation",
  },
  primaryKey: ['evaluationId'],
  foreignKeys: [{ fields: ['evaluationId'], resource: 'evaluations', reference: ['id'] }],
  fields: [
    {
      name: 'evaluationId',
      type: 'string',
      required: true,
      unique: true,
      description: { es: 'Evaluación respondida', en: 'The evaluation answered' },
    },
    {
      name: 'agencyId',
      type: 'string',
      description: { es: 'Entidad que respondió', en: 'The agency that answered' },
    },
    {
      name: 'answer',
      type: 'string',
      required: true,
      description: { es: 'Texto de la respuesta', en: "The answer's text" },
    },
    {
      name: 'answeredAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se respondió (UTC)', en: 'When it was answered (UTC)' },
    },
    {
      name: 'answers',
      type: 'integer',
      required: true,
      minimum: 1,
      description: {
        es: 'Cuántas respuestas se dieron (la última es la vigente)',
        en: 'How many answers were given (the last one stands)',
      },
    },
  ],
  sql: `
    SELECT id AS "evaluationId", COALESCE(answered_by, agency_id) AS "agencyId", answer,
           answered_at AS "answeredAt", answers
      FROM read.evaluations
     WHERE answered_at IS NOT NULL AND answer IS NOT NULL
     ORDER BY id`,
};

export const dialogueSpacesResource: ResourceSpec = {
  name: 'dialogue-spaces',
  title: { es: 'Espacios de diálogo', en: 'Dialogue spaces' },
  description: {
    es: 'Un espacio de diálogo por fila (reuniones, audiencias públicas, foros...), con su acta identificada por hash',
    en: 'One dialogue space per row (meetings, public hearings, forums...), with its minutes identified by hash',
  },
  primaryKey: ['id'],
  fields: [
    {
      name: 'id',
      type: 'string',
      required: true,
      unique: true,
      description: { es: 'Identificador del espacio', en: 'Dialogue space id' },
    },
    {
      name: 'kind',
      type: 'string',
      required: true,
      description: {
        es: 'Clase de espacio, p. ej. public_hearing',
        en: 'Kind of space, e.g. public_hearing',
      },
    },
    { name: 'title', type: 'string', required: true, description: { es: 'Título', en: 'Title' } },
    {
      name: 'status',
      type: 'string',
      required: true,
      enum: ['convened', 'held', 'cancelled'],
      description: {
        es: 'convened (convocado), held (realizado), cancelled (cancelado)',
        en: 'convened, held, cancelled',
      },
    },
    {
      name: 'agencyId',
      type: 'string',
      required: true,
      description: { es: 'Entidad que lo convoca', en: 'The agency that convenes it' },
    },
    {
      name: 'convenedAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se convocó (UTC)', en: 'When it was convened (UTC)' },
    },
    {
      name: 'startsAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se reúne (UTC)', en: 'When it meets (UTC)' },
    },
    {
      name: 'place',
      type: 'string',
      required: true,
      description: { es: 'Dónde se reúne', en: 'Where it meets' },
    },
    {
      name: 'channel',
      type: 'string',
      required: true,
      enum: ['in_person', 'online', 'hybrid'],
      description: {
        es: 'in_person (presencial), online (virtual), hybrid (mixto)',
        en: 'in_person, online, hybrid',
      },
    },
    {
      name: 'territoryId',
      type: 'string',
      description: {
        es: 'Territorio; vacío: todo el distrito',
        en: 'Territory; empty: the whole district',
      },
    },
    {
      name: 'agenda',
      type: 'array',
      required: true,
      description: { es: 'Orden del día (lista JSON)', en: 'Agenda (JSON list)' },
    },
    {
      name: 'commitmentIds',
      type: 'array',
      required: true,
      description: {
        es: 'Compromisos que trata (lista JSON)',
        en: 'Commitments it concerns (JSON list)',
      },
    },
    {
      name: 'heldAt',
      type: 'datetime',
      description: {
        es: 'Cuándo se registró como realizado (UTC)',
        en: 'When it was recorded as held (UTC)',
      },
    },
    {
      name: 'cancelledAt',
      type: 'datetime',
      description: { es: 'Cuándo se canceló (UTC)', en: 'When it was cancelled (UTC)' },
    },
    {
      name: 'cancellationReason',
      type: 'string',
      description: { es: 'Motivo de la cancelación', en: 'Why it was cancelled' },
    },
    {
      name: 'minutesSha256',
      type: 'string',
      pattern: SHA256,
      description: { es: 'SHA-256 del acta', en: 'SHA-256 of the minutes' },
    },
    {
      name: 'minutesMediaType',
      type: 'string',
      description: { es: 'Tipo de medio del acta', en: 'Media type of the minutes' },
    },
    {
      name: 'minutesUrl',
      type: 'string',
      description: { es: 'Enlace al acta', en: 'Link to the minutes' },
    },
    STREAM_VERSION_FIELD,
    LAST_POSITION_FIELD,
  ],
  sql: `SELECT space, version, last_position FROM read.dialogue_spaces ORDER BY id`,
  rows(row) {
    const space = row.space as SpaceJson;
    const minutes = space.attendance?.minutes;
    return [
      {
        id: space.dialogueSpaceId,
        kind: space.kind,
        title: space.title,
        status: space.status,
        agencyId: space.agencyId,
        convenedAt: space.convenedAt,
        startsAt: space.startsAt,
        place: space.place,
        channel: space.channel,
        territoryId: space.territoryId,
        agenda: space.agenda,
        commitmentIds: space.commitmentIds,
        heldAt: space.heldAt,
        cancelledAt: space.cancelledAt,
        cancellationReason: space.cancellationReason,
        minutesSha256: minutes?.sha256,
        minutesMediaType: minutes?.mediaType,
        minutesUrl: minutes?.url,
        version: row.version,
        lastPosition: row.last_position,
      },
    ];
  },
};

export const dialogueAttendanceResource: ResourceSpec = {
  name: 'dialogue-attendance',
  title: { es: 'Asistencia a espacios de diálogo', en: 'Dialogue space attendance' },
  description: {
    es: 'Asistencia agregada de cada espacio realizado: el total, por grupo y por territorio. Ninguna celda describe a menos de 5 personas: esas se publican como suprimidas, sin número',
    en: 'Aggregate attendance of each held space: the total, by group and by territory. No cell describes fewer than 5 people: those are published as suppressed, with no number',
  },
  primaryKey: ['dialogueSpaceId', 'dimension', 'category'],
  foreignKeys: [{ fields: ['dialogueSpaceId'], resource: 'dialogue-spaces', reference: ['id'] }],
  fields: [
    {
      name: 'dialogueSpaceId',
      type: 'string',
      required: true,
      description: { es: 'Espacio de diálogo', en: 'Dialogue space' },
    },
    {
      name: 'dimension',
      type: 'string',
      required: true,
      description: {
        es: 'total, territory, o la dimensión del grupo (p. ej. sex, age, ethnicity)',
        en: 'total, territory, or the group dimension (e.g. sex, age, ethnicity)',
      },
    },
    {
      name: 'category',
      type: 'string',
      required: true,
      description: {
        es: 'Categoría dentro de la dimensión (para territory, el identificador del territorio; para total, total)',
        en: 'Category within the dimension (for territory, the territory id; for total, total)',
      },
    },
    {
      name: 'count',
      type: 'integer',
      minimum: 5,
      description: {
        es: 'Personas; vacío cuando la celda está suprimida',
        en: 'People; empty when the cell is suppressed',
      },
    },
    {
      name: 'suppressed',
      type: 'boolean',
      required: true,
      description: {
        es: 'true: la celda describe a menos de 5 personas (o revelaría otra que lo hace) y no se publica',
        en: 'true: the cell describes fewer than 5 people (or would give one such away) and is not published',
      },
    },
    {
      name: 'recordedAt',
      type: 'datetime',
      required: true,
      description: {
        es: 'Cuándo se registró la asistencia (UTC)',
        en: 'When the attendance was recorded (UTC)',
      },
    },
  ],
  sql: `SELECT space FROM read.dialogue_spaces WHERE space ? 'attendance' ORDER BY id`,
  rows(row) {
    const space = row.space as SpaceJson;
    const attendance = space.attendance;
    if (!attendance) return [];
    const counts: AttendanceCount[] = [
      ...attendance.byGroup,
      ...attendance.byTerritory.map((t) => ({
        dimension: 'territory',
        category: t.territoryId,
        count: t.count,
      })),
    ];
    return publishedAttendance(attendance.total, counts).map((cell): SourceRow => ({
      dialogueSpaceId: space.dialogueSpaceId,
      ...cell,
      recordedAt: attendance.recordedAt,
    }));
  },
};

export const improvementActionsResource: ResourceSpec = {
  name: 'improvement-actions',
  title: { es: 'Acciones de mejora', en: 'Improvement actions' },
  description: {
    es: 'Una acción de mejora acordada en un espacio de diálogo por fila, con su avance',
    en: 'One improvement action agreed in a dialogue space per row, with its progress',
  },
  primaryKey: ['dialogueSpaceId', 'id'],
  foreignKeys: [
    { fields: ['dialogueSpaceId'], resource: 'dialogue-spaces', reference: ['id'] },
    { fields: ['commitmentId'], resource: 'commitments', reference: ['id'] },
  ],
  fields: [
    {
      name: 'dialogueSpaceId',
      type: 'string',
      required: true,
      description: { es: 'Espacio donde se acordó', en: 'The space where it was agreed' },
    },
    {
      name: 'id',
      type: 'string',
      required: true,
      description: {
        es: 'Identificador de la acción dentro del espacio',
        en: 'Action id within the space',
      },
    },
    {
      name: 'ordinal',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Orden en que se acordó (desde 0)',
        en: 'Order in which it was agreed (from 0)',
      },
    },
    {
      name: 'commitmentId',
      type: 'string',
      required: true,
      description: { es: 'Compromiso al que se refiere', en: 'The commitment it concerns' },
    },
    {
      name: 'description',
      type: 'string',
      required: true,
      description: { es: 'Qué se acordó', en: 'What was agreed' },
    },
    {
      name: 'responsibleAgency',
      type: 'string',
      required: true,
      description: { es: 'Entidad responsable', en: 'Responsible agency' },
    },
    {
      name: 'dueDate',
      type: 'date',
      required: true,
      description: { es: 'Fecha límite', en: 'Due date' },
    },
    {
      name: 'agreedAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se acordó (UTC)', en: 'When it was agreed (UTC)' },
    },
    {
      name: 'status',
      type: 'string',
      required: true,
      enum: ['agreed', 'in_progress', 'completed', 'cancelled'],
      description: {
        es: 'agreed (acordada), in_progress, completed, cancelled',
        en: 'agreed, in_progress, completed, cancelled',
      },
    },
    {
      name: 'percent',
      type: 'integer',
      required: true,
      minimum: 0,
      maximum: 100,
      description: { es: 'Avance, en porcentaje entero', en: 'Progress, whole percent' },
    },
    {
      name: 'lastReportedAt',
      type: 'datetime',
      description: { es: 'Último reporte (UTC)', en: 'Last report (UTC)' },
    },
    {
      name: 'completedAt',
      type: 'datetime',
      description: { es: 'Cuándo se cumplió (UTC)', en: 'When it was completed (UTC)' },
    },
    {
      name: 'cancelledAt',
      type: 'datetime',
      description: { es: 'Cuándo se canceló (UTC)', en: 'When it was cancelled (UTC)' },
    },
    {
      name: 'cancellationReason',
      type: 'string',
      description: { es: 'Motivo de la cancelación', en: 'Why it was cancelled' },
    },
  ],
  sql: `
    SELECT dialogue_space_id, ordinal, action FROM read.improvement_actions
     ORDER BY dialogue_space_id, id`,
  rows(row) {
    const action = row.action as ActionJson;
    return [
      {
        dialogueSpaceId: row.dialogue_space_id,
        id: action.actionId,
        ordinal: row.ordinal,
        commitmentId: action.commitmentId,
        description: action.description,
        responsibleAgency: action.responsibleAgency,
        dueDate: action.dueDate,
        agreedAt: action.agreedAt,
        status: action.status,
        percent: action.percent,
        lastReportedAt: action.reports.at(-1)?.reportedAt,
        completedAt: action.completedAt,
        cancelledAt: action.cancelledAt,
        cancellationReason: action.cancellationReason,
      },
    ];
  },
};

export const prioritizationResultsResource: ResourceSpec = {
  name: 'prioritization-results',
  title: { es: 'Resultados de priorización', en: 'Prioritization results' },
  description: {
    es: 'Una fila por tema candidato de cada ejercicio de priorización: sus puntos Borda y su puesto cuando el ejercicio cerró (vacíos mientras está abierto)',
    en: 'One row per candidate topic of each prioritization exercise: its Borda points and rank once the exercise closed (empty while open)',
  },
  primaryKey: ['prioritizationId', 'topicId'],
  foreignKeys: [{ fields: ['commitmentId'], resource: 'commitments', reference: ['id'] }],
  fields: [
    {
      name: 'prioritizationId',
      type: 'string',
      required: true,
      description: { es: 'Ejercicio de priorización', en: 'Prioritization exercise' },
    },
    {
      name: 'title',
      type: 'string',
      required: true,
      description: { es: 'Título del ejercicio', en: "The exercise's title" },
    },
    {
      name: 'agencyId',
      type: 'string',
      required: true,
      description: { es: 'Entidad que lo convoca', en: 'The agency that runs it' },
    },
    {
      name: 'commitmentId',
      type: 'string',
      description: {
        es: 'Compromiso al que se refiere, si alguno',
        en: 'The commitment it concerns, if any',
      },
    },
    {
      name: 'milestoneId',
      type: 'string',
      description: {
        es: 'Hito al que se refiere, si alguno',
        en: 'The milestone it concerns, if any',
      },
    },
    {
      name: 'method',
      type: 'string',
      required: true,
      description: { es: 'Regla de conteo, p. ej. borda', en: 'Counting rule, e.g. borda' },
    },
    {
      name: 'status',
      type: 'string',
      required: true,
      enum: ['open', 'closed'],
      description: { es: 'open (abierto) o closed (cerrado)', en: 'open or closed' },
    },
    {
      name: 'opensAt',
      type: 'datetime',
      required: true,
      description: { es: 'Apertura de la votación (UTC)', en: 'Voting opens (UTC)' },
    },
    {
      name: 'closesAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cierre de la votación (UTC)', en: 'Voting closes (UTC)' },
    },
    {
      name: 'closedAt',
      type: 'datetime',
      description: {
        es: 'Cuándo se cerró y contó (UTC)',
        en: 'When it was closed and counted (UTC)',
      },
    },
    {
      name: 'ballotsCast',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Papeletas emitidas, reemplazos incluidos',
        en: 'Ballots cast, replacements included',
      },
    },
    {
      name: 'participants',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Participantes cuya última papeleta cuenta',
        en: 'Participants whose last ballot counts',
      },
    },
    {
      name: 'topicId',
      type: 'string',
      required: true,
      description: { es: 'Tema candidato', en: 'Candidate topic' },
    },
    {
      name: 'topicTitle',
      type: 'string',
      required: true,
      description: { es: 'Título del tema', en: "The topic's title" },
    },
    {
      name: 'points',
      type: 'integer',
      minimum: 0,
      description: { es: 'Puntos Borda al cierre', en: 'Borda points at the close' },
    },
    {
      name: 'firstPlaces',
      type: 'integer',
      minimum: 0,
      description: {
        es: 'Papeletas que lo pusieron primero (primer desempate)',
        en: 'Ballots that put it first (the first tie-break)',
      },
    },
    {
      name: 'rank',
      type: 'integer',
      minimum: 1,
      description: {
        es: 'Puesto: 1 + temas estrictamente por delante',
        en: 'Rank: 1 + topics strictly ahead',
      },
    },
  ],
  sql: `
    SELECT id, title, agency_id, commitment_id, milestone_id, method, status, opens_at,
           closes_at, closed_at, ballots_cast, participants, topics, standings
      FROM read.prioritizations
     ORDER BY id`,
  rows(row) {
    const topics = row.topics as { id: string; title: string }[];
    const standings = (row.standings ?? []) as StandingJson[];
    const byTopic = new Map(standings.map((s) => [s.topicId, s]));
    return topics.map((topic) => {
      const standing = byTopic.get(topic.id);
      return {
        prioritizationId: row.id,
        title: row.title,
        agencyId: row.agency_id,
        commitmentId: row.commitment_id,
        milestoneId: row.milestone_id,
        method: row.method,
        status: row.status,
        opensAt: row.opens_at,
        closesAt: row.closes_at,
        closedAt: row.closed_at,
        ballotsCast: row.ballots_cast,
        participants: row.participants,
        topicId: topic.id,
        topicTitle: topic.title,
        points: standing?.points,
        firstPlaces: standing?.firstPlaces,
        rank: standing?.rank,
      };
    });
  },
};

/** The members of a dialogue space's read-model JSON that are published. */
interface SpaceJson {
  dialogueSpaceId: string;
  kind: string;
  title: string;
  status: string;
  agencyId: string;
  convenedAt: string;
  startsAt: string;
  place: string;
  channel: string;
  territoryId?: string;
  agenda: string[];
  commitmentIds: string[];
  heldAt?: string;
  cancelledAt?: string;
  cancellationReason?: string;
  attendance?: {
    total: number;
    byGroup: AttendanceCount[];
    byTerritory: { territoryId: string; count: number }[];
    minutes?: { sha256: string; mediaType: string; url: string };
    recordedAt: string;
  };
}

interface ActionJson {
  actionId: string;
  commitmentId: string;
  description: string;
  responsibleAgency: string;
  dueDate: string;
  agreedAt: string;
  status: string;
  percent: number;
  reports: { reportedAt: string }[];
  completedAt?: string;
  cancelledAt?: string;
  cancellationReason?: string;
}

interface StandingJson {
  topicId: string;
  points: number;
  firstPlaces: number;
  rank: number;
}
