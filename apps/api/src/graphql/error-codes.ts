/** One code a client can find in `errors[].extensions.code`, as docs/errors.md lists it. */
export interface ErrorCode {
  code: string;
  /**
   * The HTTP status of the answer that carries it: the request's own when the code refuses
   * the whole request, 200 when it is one operation's error next to the others' data.
   */
  status: string;
  /** The fields beside `code` under `extensions`. */
  fields: readonly string[];
  /** What it means and what the client can do, in English. */
  meaning: string;
  /** The same, in Spanish. */
  significado: string;
}

const REQUEST_ERROR_STATUS = '200 (`application/json`), 400 (`application/graphql-response+json`)';
/** What a domain refusal carries besides its own members. */
const DOMAIN = ['category', 'field'];

/**
 * Every error code a client of the API can see, over HTTP and graphql-ws: the registry
 * docs/errors.md is generated from (`npm run docs:errors`). A test fails when a code the
 * code base raises is missing here, or when docs/errors.md differs from what this makes.
 */
export const ERROR_CODES: readonly ErrorCode[] = [
  // The request itself: its body, its size, its text.
  {
    code: 'BAD_REQUEST',
    status: '400',
    fields: [],
    meaning:
      'The body is not JSON or not a GraphQL request (no `query`), or a POST another site ' +
      'could have sent: send `application/json`.',
    significado:
      'El cuerpo no es JSON o no es una petición GraphQL (sin `query`), o es un POST que otro ' +
      'sitio pudo enviar: envíe `application/json`.',
  },
  {
    code: 'REQUEST_TOO_LARGE',
    status: '413',
    fields: ['limit'],
    meaning: 'The body is larger than `CUENTA_GRAPHQL_MAX_BODY_BYTES`.',
    significado: 'El cuerpo supera `CUENTA_GRAPHQL_MAX_BODY_BYTES`.',
  },
  {
    code: 'BATCH_TOO_LARGE',
    status: '400',
    fields: ['limit', 'found'],
    meaning: 'More operations in one batch than `CUENTA_GRAPHQL_MAX_BATCH`.',
    significado: 'Más operaciones en un lote que `CUENTA_GRAPHQL_MAX_BATCH`.',
  },
  {
    code: 'TOO_MANY_TOKENS',
    status: '400',
    fields: ['limit'],
    meaning: 'The operation text has more than `CUENTA_GRAPHQL_MAX_TOKENS` tokens.',
    significado: 'El texto de la operación tiene más de `CUENTA_GRAPHQL_MAX_TOKENS` tokens.',
  },
  {
    code: 'GRAPHQL_PARSE_FAILED',
    status: REQUEST_ERROR_STATUS,
    fields: [],
    meaning: 'The operation text is not valid GraphQL; the message says where.',
    significado: 'El texto de la operación no es GraphQL válido; el mensaje dice dónde.',
  },
  {
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: REQUEST_ERROR_STATUS,
    fields: [],
    meaning:
      'The operation does not fit the schema (an unknown field, a literal of the wrong type), ' +
      'or asks for introspection where it is off.',
    significado:
      'La operación no corresponde al esquema (un campo que no existe, un literal de tipo ' +
      'equivocado), o pide introspección donde está apagada.',
  },
  {
    code: 'BAD_USER_INPUT',
    status: REQUEST_ERROR_STATUS,
    fields: [],
    meaning:
      'A variable is missing or of the wrong type (a number where a string goes, an unknown ' +
      'field in an input, a value outside an enum).',
    significado:
      'Falta una variable o es de tipo equivocado (un número donde va un texto, un campo ' +
      'desconocido en una entrada, un valor fuera de un enum).',
  },
  {
    code: 'OPERATION_RESOLUTION_FAILURE',
    status: '400',
    fields: [],
    meaning:
      '`operationName` names no operation of the document, or the document has several and ' +
      'none is named.',
    significado:
      '`operationName` no nombra ninguna operación del documento, o hay varias y no se nombra ' +
      'ninguna.',
  },
  {
    code: 'PERSISTED_QUERY_NOT_FOUND',
    status: '200',
    fields: [],
    meaning:
      'An automatic persisted query whose hash the server does not know yet: send the text ' +
      'with the hash.',
    significado:
      'Una consulta persistida automática cuyo hash el servidor aún no conoce: envíe el texto ' +
      'con el hash.',
  },
  {
    code: 'PERSISTED_QUERY_NOT_SUPPORTED',
    status: '200',
    fields: [],
    meaning: 'Automatic persisted queries are off on this server: send the text.',
    significado: 'Las consultas persistidas automáticas están apagadas aquí: envíe el texto.',
  },
  {
    code: 'OPERATION_NOT_ALLOWED',
    status: '400',
    fields: ['hash'],
    meaning: 'The allow-list is on and this operation is not in it (docs/security.md).',
    significado: 'La lista de operaciones permitidas está activa y esta no está en ella.',
  },
  {
    code: 'QUERY_TOO_DEEP',
    status: '400',
    fields: ['limit', 'found'],
    meaning: 'The answer would be deeper than `CUENTA_GRAPHQL_MAX_DEPTH`.',
    significado: 'La respuesta sería más profunda que `CUENTA_GRAPHQL_MAX_DEPTH`.',
  },
  {
    code: 'QUERY_TOO_COSTLY',
    status: '400',
    fields: ['limit', 'found'],
    meaning: 'The operation costs more than `CUENTA_GRAPHQL_MAX_COST`: ask for smaller pages.',
    significado: 'La operación cuesta más que `CUENTA_GRAPHQL_MAX_COST`: pida páginas menores.',
  },
  {
    code: 'TOO_MANY_ALIASES',
    status: '400',
    fields: ['limit', 'found'],
    meaning: 'More aliases than `CUENTA_GRAPHQL_MAX_ALIASES`.',
    significado: 'Más alias que `CUENTA_GRAPHQL_MAX_ALIASES`.',
  },
  {
    code: 'TOO_MANY_DIRECTIVES',
    status: '400',
    fields: ['limit', 'found'],
    meaning: 'More directives than `CUENTA_GRAPHQL_MAX_DIRECTIVES`.',
    significado: 'Más directivas que `CUENTA_GRAPHQL_MAX_DIRECTIVES`.',
  },
  // Who is calling, and how often.
  {
    code: 'UNAUTHENTICATED',
    status: '401 (a bad token refuses the request), 200 (no token where one is needed)',
    fields: ['reason'],
    meaning:
      'The token is expired, badly signed, for another issuer or audience, or malformed ' +
      '(`reason` says which), or the operation needs a token (`TOKEN_REQUIRED`).',
    significado:
      'El token venció, tiene mala firma, es de otro emisor o audiencia, o está mal formado ' +
      '(`reason` dice cuál), o la operación necesita un token (`TOKEN_REQUIRED`).',
  },
  {
    code: 'FORBIDDEN',
    status: '200',
    fields: ['reason'],
    meaning:
      "The token's roles or agencies do not allow the operation (`reason`: `ROLE`, " +
      '`AGENCY`, `NO_POLICY`).',
    significado:
      'Los roles o entidades del token no permiten la operación (`reason`: `ROLE`, `AGENCY`, ' +
      '`NO_POLICY`).',
  },
  {
    code: 'AUTHENTICATION_UNAVAILABLE',
    status: '503',
    fields: [],
    meaning: "The identity provider's keys cannot be fetched now; retry later.",
    significado: 'No se pueden obtener ahora las llaves del proveedor de identidad; reintente.',
  },
  {
    code: 'RATE_LIMITED',
    status: '429',
    fields: ['retryAfter'],
    meaning:
      "Over the caller's allowance; retry after `retryAfter` seconds (also the " +
      '`Retry-After` header).',
    significado:
      'Se superó la cuota de quien llama; reintente tras `retryAfter` segundos (también en la ' +
      'cabecera `Retry-After`).',
  },
  // What a command or a query was given.
  {
    code: 'INVALID_INPUT',
    status: '200',
    fields: ['field', 'rule'],
    meaning:
      'An input breaks a rule: `field` is its path inside the argument (`title`, ' +
      '`evidence.0.sha256`), `rule` the rule. Text must be valid Unicode without NUL or ' +
      'noncharacters (I-JSON), and a DateTime must exist (no 30 February, no 24:00). With ' +
      '`rule: "commitment_code_taken"` also `commitmentCode` and `heldBy`; with ' +
      '`rule: "milestone_outside_commitment"` also `milestoneId`, `commitmentStart` and ' +
      '`commitmentEnd`. Nothing was written.',
    significado:
      'Una entrada incumple una regla: `field` es su ruta dentro del argumento (`title`, ' +
      '`evidence.0.sha256`), `rule` la regla. Los textos deben ser Unicode válido sin NUL ni ' +
      'no-caracteres (I-JSON), y una fecha y hora debe existir (no hay 30 de febrero ni ' +
      '24:00). Con `rule: "commitment_code_taken"` trae también `commitmentCode` y `heldBy`; ' +
      'con `rule: "milestone_outside_commitment"`, `milestoneId`, `commitmentStart` y ' +
      '`commitmentEnd`. No se escribió nada.',
  },
  {
    code: 'INVALID_EVENT',
    status: '200',
    fields: ['field', 'rule'],
    meaning:
      'The event store refused an event the command would have written (`field` is its path ' +
      'in the event, e.g. `events[0].data`).',
    significado:
      'El almacén de eventos rechazó un evento que el comando iba a escribir (`field` es su ' +
      'ruta en el evento, p. ej. `events[0].data`).',
  },
  {
    code: 'COMMAND_ID_REUSED',
    status: '200',
    fields: ['field', 'commandId'],
    meaning:
      'This `commandId` already names a different command on this commitment: send a new id ' +
      'for a new command.',
    significado:
      'Este `commandId` ya nombra otro comando sobre este compromiso: use un id nuevo para un ' +
      'comando nuevo.',
  },
  {
    code: 'VERSION_CONFLICT',
    status: '200',
    fields: ['stream', 'expectedVersion', 'actualVersion'],
    meaning:
      'The commitment changed since `expectedVersion`: read it again and decide whether the ' +
      'command still applies.',
    significado:
      'El compromiso cambió desde `expectedVersion`: léalo de nuevo y decida si el comando ' +
      'aún aplica.',
  },
  {
    code: 'DUPLICATE_EVENT_ID',
    status: '200',
    fields: ['eventId'],
    meaning: 'An event with this id is already in the log.',
    significado: 'Ya hay en el registro un evento con este id.',
  },
  {
    code: 'STORE_CLOSED',
    status: '200',
    fields: [],
    meaning: 'The server is shutting down; retry against another or after it restarts.',
    significado: 'El servidor se está apagando; reintente en otro o cuando reinicie.',
  },
  {
    code: 'DATABASE_UNAVAILABLE',
    status: '200',
    fields: ['position', 'size'],
    meaning:
      'The database was out of reach for longer than the operation waits. A mutation may or ' +
      'may not have been recorded: send it again with the same `commandId`. A subscription ' +
      'ends with it after `CUENTA_SUBSCRIPTION_OUTAGE_SECONDS`: `position` is where ' +
      '`eventsAppended` resumes (`from`), `size` the last checkpoint `checkpointSigned` sent.',
    significado:
      'La base de datos estuvo inaccesible más tiempo del que la operación espera. Una ' +
      'mutación pudo registrarse o no: repítala con el mismo `commandId`. Una suscripción ' +
      'termina con él tras `CUENTA_SUBSCRIPTION_OUTAGE_SECONDS`: `position` es desde dónde ' +
      'retomar `eventsAppended` (`from`), `size` el último punto de control que envió ' +
      '`checkpointSigned`.',
  },
  {
    code: 'READ_MODELS_BEHIND',
    status: '200',
    fields: ['position', 'reached', 'waitedMs'],
    meaning:
      'A read asked for `minPosition` (or `X-Cuenta-Min-Position`) and the read models had ' +
      'not reached it within `CUENTA_READ_WAIT_MS`; they hold the log up to `reached`. The ' +
      'event is recorded: ask again later.',
    significado:
      'Una lectura pidió `minPosition` (o `X-Cuenta-Min-Position`) y los modelos de lectura ' +
      'no la alcanzaron en `CUENTA_READ_WAIT_MS`; tienen el registro hasta `reached`. El ' +
      'evento está registrado: vuelva a preguntar más tarde.',
  },
  // The commitment's own rules (category NOT_FOUND or CONFLICT, with the field at fault).
  {
    code: 'COMMITMENT_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'commitmentId'],
    meaning: 'No commitment has this id.',
    significado: 'Ningún compromiso tiene este id.',
  },
  {
    code: 'ACTION_PLAN_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'actionPlanId'],
    meaning: 'No action plan with this id is registered (register it first).',
    significado: 'No hay un plan de acción registrado con este id (regístrelo primero).',
  },
  {
    code: 'ACTION_PLAN_ALREADY_REGISTERED',
    status: '200',
    fields: [...DOMAIN, 'actionPlanId'],
    meaning: 'An action plan with this id is already registered.',
    significado: 'Ya hay un plan de acción registrado con este id.',
  },
  {
    code: 'ACTION_PLAN_STATUS_REFUSED',
    status: '200',
    fields: [...DOMAIN, 'from', 'to'],
    meaning:
      "The plan's status cannot move from `from` to `to`: statuses go forward only (draft, " +
      'in_implementation, completed), withdrawn only before completion; completed and ' +
      'withdrawn are final.',
    significado:
      'El estado del plan no puede pasar de `from` a `to`: los estados solo avanzan (draft, ' +
      'in_implementation, completed), withdrawn solo antes de completarse; completed y ' +
      'withdrawn son finales.',
  },
  {
    code: 'COMMITMENT_ALREADY_REGISTERED',
    status: '200',
    fields: [...DOMAIN, 'commitmentId'],
    meaning: 'A commitment with this id is already registered.',
    significado: 'Ya hay un compromiso registrado con este id.',
  },
  {
    code: 'ILLEGAL_TRANSITION',
    status: '200',
    fields: ['category', 'status', 'command'],
    meaning:
      "The command is not allowed in the commitment's status (e.g. a progress report on a " +
      'draft).',
    significado:
      'El comando no se permite en el estado del compromiso (p. ej. reportar avance de un ' +
      'borrador).',
  },
  {
    code: 'COMMITMENT_CLOSED',
    status: '200',
    fields: ['category', 'status', 'command'],
    meaning: 'The commitment is completed or withdrawn: only a correction can be recorded.',
    significado: 'El compromiso está cumplido o retirado: solo se puede registrar una corrección.',
  },
  {
    code: 'INCOMPLETE_COMMITMENT',
    status: '200',
    fields: [...DOMAIN, 'missing'],
    meaning: 'It cannot be published before the fields in `missing` are filled in.',
    significado: 'No se puede publicar antes de llenar los campos de `missing`.',
  },
  {
    code: 'MILESTONES_STILL_OPEN',
    status: '200',
    fields: [...DOMAIN, 'milestoneIds'],
    meaning:
      'It cannot be completed while the milestones in `milestoneIds` are neither completed nor ' +
      'cancelled.',
    significado:
      'No se puede dar por cumplido mientras los hitos de `milestoneIds` no estén cumplidos ni ' +
      'cancelados.',
  },
  {
    code: 'MILESTONE_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'milestoneId'],
    meaning: 'The commitment has no milestone with this id.',
    significado: 'El compromiso no tiene un hito con este id.',
  },
  {
    code: 'MILESTONE_ALREADY_EXISTS',
    status: '200',
    fields: [...DOMAIN, 'milestoneId'],
    meaning: 'The commitment already has a milestone with this id.',
    significado: 'El compromiso ya tiene un hito con este id.',
  },
  {
    code: 'MILESTONE_CLOSED',
    status: '200',
    fields: [...DOMAIN, 'milestoneId', 'status'],
    meaning: 'The milestone is completed or cancelled.',
    significado: 'El hito está cumplido o cancelado.',
  },
  {
    code: 'EVENT_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'eventId'],
    meaning: "The event is not in this commitment's history.",
    significado: 'El evento no está en la historia de este compromiso.',
  },
  {
    code: 'EVENT_NOT_CORRECTABLE',
    status: '200',
    fields: ['category', 'field', 'eventId', 'eventType', 'rule'],
    meaning:
      'This event cannot be corrected (`rule: "not_correctable"`) or retracted ' +
      '(`rule: "not_retractable"`).',
    significado:
      'Este evento no se puede corregir (`rule: "not_correctable"`) ni retirar ' +
      '(`rule: "not_retractable"`).',
  },
  // Red flags (oversight).
  {
    code: 'RED_FLAG_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'flagId'],
    meaning:
      'No red flag has this id as of now: take the id from `redFlags` (a flag of an earlier ' +
      '`asOf` may not exist yet, or any more).',
    significado:
      'Ninguna alerta tiene este id a la fecha: tome el id de `redFlags` (una alerta de otro ' +
      '`asOf` puede no existir todavía, o ya no).',
  },
  // Dialogue spaces and their improvement actions (participation).
  {
    code: 'DIALOGUE_SPACE_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'dialogueSpaceId'],
    meaning: 'No dialogue space is recorded with this id.',
    significado: 'No hay un espacio de diálogo registrado con este id.',
  },
  {
    code: 'DIALOGUE_SPACE_STATUS_FORBIDS',
    status: '200',
    fields: [...DOMAIN, 'dialogueSpaceId', 'status'],
    meaning:
      "The space's `status` does not allow the command: attendance and improvement actions " +
      'need a held space; a cancelled space takes no change; a held one is not cancelled.',
    significado:
      'El estado (`status`) del espacio no permite el comando: la asistencia y las acciones ' +
      'de mejora requieren un espacio realizado; uno cancelado no admite cambios; uno ' +
      'realizado no se cancela.',
  },
  {
    code: 'IMPROVEMENT_ACTION_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'actionId'],
    meaning: 'The dialogue space agreed no improvement action with this id.',
    significado: 'El espacio de diálogo no acordó una acción de mejora con este id.',
  },
  {
    code: 'IMPROVEMENT_ACTION_ALREADY_AGREED',
    status: '200',
    fields: [...DOMAIN, 'actionId'],
    meaning: 'The dialogue space already agreed an improvement action with this id.',
    significado: 'El espacio de diálogo ya acordó una acción de mejora con este id.',
  },
  {
    code: 'IMPROVEMENT_ACTION_CLOSED',
    status: '200',
    fields: [...DOMAIN, 'actionId', 'status'],
    meaning: 'The improvement action is completed or cancelled: it takes no more reports.',
    significado: 'La acción de mejora está cumplida o cancelada: no admite más reportes.',
  },
  // Personal data (docs/privacy.md).
  {
    code: 'SENSITIVE_DATA_WITHOUT_AUTHORIZATION',
    status: '200',
    fields: ['field'],
    meaning:
      '`field` holds sensitive personal data (Ley 1581, art. 5) and the write carries no ' +
      'explicit authorization (`purpose`, `noticeHash`, `givenAt`). Nothing was written.',
    significado:
      '`field` contiene datos personales sensibles (Ley 1581, art. 5) y la escritura no trae ' +
      'autorización explícita (`purpose`, `noticeHash`, `givenAt`). No se escribió nada.',
  },
  {
    code: 'SUBJECT_NOT_FOUND',
    status: '200',
    fields: ['subjectId'],
    meaning: 'No personal data subject has this `subjectId`.',
    significado: 'Ningún titular de datos personales tiene este `subjectId`.',
  },
  {
    code: 'SUBJECT_ERASED',
    status: '200',
    fields: ['subjectId', 'erasedAt'],
    meaning:
      "This subject's personal data was erased at `erasedAt`: nothing new is recorded under it.",
    significado:
      'Los datos personales de este titular se suprimieron en `erasedAt`: no se registra nada ' +
      'nuevo a su nombre.',
  },
  {
    code: 'RECEIPT_NOT_FOUND',
    status: '200',
    fields: [],
    meaning: 'No personal data was recorded with this receipt.',
    significado: 'No se registraron datos personales con este recibo.',
  },
  // Participation: citizens' evaluations (docs/participation.md).
  {
    code: 'EVALUATION_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'evaluationId'],
    meaning: 'No evaluation has this id.',
    significado: 'Ninguna evaluación tiene este id.',
  },
  {
    code: 'EVALUATION_ALREADY_SUBMITTED',
    status: '200',
    fields: [...DOMAIN, 'evaluationId'],
    meaning: 'An evaluation with this id was submitted already: choose a new id.',
    significado: 'Ya se envió una evaluación con este id: elija un id nuevo.',
  },
  {
    code: 'EVALUATION_TARGET_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN],
    meaning:
      'The commitment, milestone or dialogue space the evaluation names (`field`) does not exist.',
    significado:
      'El compromiso, hito o espacio de diálogo que la evaluación nombra (`field`) no existe.',
  },
  {
    code: 'EVALUATION_ALREADY_REPORTED',
    status: '200',
    fields: [...DOMAIN, 'evaluationId'],
    meaning:
      'This reporter (token subject, or anonymous session) already reported the evaluation: ' +
      'each reporter counts once.',
    significado:
      'Este denunciante (sujeto del token, o sesión anónima) ya reportó la evaluación: ' +
      'cada persona cuenta una vez.',
  },
  {
    code: 'EVALUATION_MODERATION_CONFLICT',
    status: '200',
    fields: [...DOMAIN],
    meaning: 'The evaluation is already hidden (to hide) or already visible (to restore).',
    significado: 'La evaluación ya está oculta (al ocultar) o ya está visible (al restaurar).',
  },
  {
    code: 'PERSONAL_DATA_UNAVAILABLE',
    status: '200',
    fields: ['field'],
    meaning:
      '`field` is personal data and this server keeps no personal-data store: send the write ' +
      'without it. Nothing was written.',
    significado:
      '`field` es un dato personal y este servidor no tiene almacén de datos personales: envíe ' +
      'la escritura sin él. No se escribió nada.',
  },
  // The transparency log.
  {
    code: 'NOT_FOUND',
    status: '200',
    fields: ['entity'],
    meaning: 'The log has no such entry (an event id or position, a checkpoint size).',
    significado: 'El registro no tiene esa entrada (un id o posición de evento, un checkpoint).',
  },
  {
    code: 'INVALID_COSIGNATURE',
    status: '200',
    fields: ['reason'],
    meaning:
      "A witness's cosignature was refused: an unknown key, a bad signature, or a checkpoint " +
      'the log did not sign (`reason`).',
    significado:
      'Se rechazó la cofirma de un testigo: una llave desconocida, una firma inválida o un ' +
      'checkpoint que el registro no firmó (`reason`).',
  },
  // Topic prioritization (docs/participation.md).
  {
    code: 'PRIORITIZATION_NOT_FOUND',
    status: '200',
    fields: [...DOMAIN, 'prioritizationId'],
    meaning: 'No prioritization exercise has this id.',
    significado: 'Ningún ejercicio de priorización tiene este id.',
  },
  {
    code: 'PRIORITIZATION_ALREADY_OPENED',
    status: '200',
    fields: [...DOMAIN, 'prioritizationId'],
    meaning: 'A prioritization exercise with this id was already opened.',
    significado: 'Ya se abrió un ejercicio de priorización con este id.',
  },
  {
    code: 'PRIORITIZATION_NOT_OPEN_YET',
    status: '200',
    fields: [...DOMAIN, 'opensAt'],
    meaning: 'The exercise takes ballots from `opensAt`; cast the ballot then.',
    significado: 'El ejercicio recibe votos desde `opensAt`; vote a partir de entonces.',
  },
  {
    code: 'PRIORITIZATION_VOTING_ENDED',
    status: '200',
    fields: [...DOMAIN, 'closesAt'],
    meaning: 'The exercise stopped taking ballots at `closesAt` (or its result is recorded).',
    significado:
      'El ejercicio dejó de recibir votos en `closesAt` (o su resultado ya está registrado).',
  },
  {
    code: 'PRIORITIZATION_STILL_OPEN',
    status: '200',
    fields: [...DOMAIN, 'closesAt'],
    meaning: 'The exercise can be closed from its closing time, `closesAt`.',
    significado: 'El ejercicio se puede cerrar desde su hora de cierre, `closesAt`.',
  },
  {
    code: 'PRIORITIZATION_ALREADY_CLOSED',
    status: '200',
    fields: [...DOMAIN, 'prioritizationId'],
    meaning: 'The exercise is closed: its result is recorded and takes no change.',
    significado: 'El ejercicio está cerrado: su resultado está registrado y no cambia.',
  },
  // Faults.
  {
    code: 'INTERNAL_SERVER_ERROR',
    status: '200 (one operation), 500 (the whole request)',
    fields: ['errorId'],
    meaning:
      'Something failed in the server. The message holds only `errorId`; give it to the ' +
      'operator, whose log has it with the details.',
    significado:
      'Algo falló en el servidor. El mensaje solo trae `errorId`; entréguelo al operador, cuyo ' +
      'registro lo tiene con los detalles.',
  },
];

/**
 * Codes in the code base that no API client sees, and why: the test that keeps the registry
 * complete accepts these and nothing else outside it.
 */
export const NOT_CLIENT_CODES: Readonly<Record<string, string>> = {
  INVALID_CONFIG: 'a start-up failure: the server does not start',
  LOG_KEY_UNUSABLE: 'a start-up failure: the server does not start',
  PERSONAL_DATA_KEY_UNUSABLE: 'a start-up failure, or an internal error (INTERNAL_SERVER_ERROR)',
  PERSONAL_VALUE_UNAVAILABLE: 'store and log disagree: an internal error (INTERNAL_SERVER_ERROR)',
  UNKNOWN_PROJECTION: 'the projections CLI only',
  PROJECTION_STALLED: 'the projections CLI only',
  NOT_STALLED_AT: 'the projections CLI only',
};

/**
 * Refusals the commitments domain reports with INVALID_INPUT and its own code as the
 * `rule` (lower case), rather than as a code of their own.
 */
export const DOMAIN_RULE_CODES: readonly string[] = [
  'COMMITMENT_CODE_TAKEN',
  'MILESTONE_OUTSIDE_COMMITMENT',
];

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/errors.md: the registry as a table, in Spanish and English. */
export function errorCodesMarkdown(codes: readonly ErrorCode[] = ERROR_CODES): string {
  const rows = codes.map(
    (entry) =>
      `| \`${entry.code}\` | ${cell(entry.status)} | ${entry.fields.map((f) => `\`${f}\``).join(', ')} | ` +
      `${cell(entry.significado)} | ${cell(entry.meaning)} |`,
  );
  return [
    '# Códigos de error / Error codes',
    '',
    '<!-- Generated from apps/api/src/graphql/error-codes.ts by `npm run docs:errors`; do not edit. -->',
    '',
    'Cada error de la API trae `extensions.code`, uno de esta lista, y los campos que se indican',
    'junto a él. Los mensajes son para personas y pueden cambiar: un programa debe decidir por el',
    'código. _Every error the API answers has `extensions.code`, one of this list, with the',
    'fields shown beside it. Messages are for people and may change: a program should decide on',
    'the code._',
    '',
    'Un error que rechaza toda la petición lleva su estado HTTP; uno que afecta a una sola',
    'operación va en `errors` con estado 200, junto a los datos de las demás. Los errores de la',
    'petición GraphQL (sintaxis, validación, variables) se responden con 200 en',
    '`application/json` y con 400 en `application/graphql-response+json`, como dice GraphQL over',
    'HTTP. _An error that refuses the whole request has its HTTP status; one that concerns a',
    'single operation is in `errors` with status 200, beside the others’ data. GraphQL request',
    'errors (syntax, validation, variables) are 200 in `application/json` and 400 in',
    '`application/graphql-response+json`, as GraphQL over HTTP says._',
    '',
    '| code | HTTP | extensions | significado | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
