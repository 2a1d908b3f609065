import { evaluateFile, RULES, SUBJECT_KINDS, type FlagFile, type RedFlag } from '#oversight';
import type { FieldSpec, ResourceSpec } from '../resource.js';

const SHA256 = '^[0-9a-f]{64}$';

const text = (name: string, es: string, en: string, required = false): FieldSpec => ({
  name,
  type: 'string',
  ...(required ? { required: true } : {}),
  description: { es, en },
});

export const assessmentsResource: ResourceSpec = {
  name: 'assessments',
  title: { es: 'Evaluaciones independientes', en: 'Independent assessments' },
  description: {
    es: 'Una evaluación independiente (IRM de OGP) por fila, vigentes y reemplazadas: una reemplazada nombra la que la reemplazó',
    en: 'One independent assessment (OGP IRM) per row, current and superseded: a superseded one names the one that replaced it',
  },
  primaryKey: ['id'],
  foreignKeys: [{ fields: ['commitmentId'], resource: 'commitments', reference: ['id'] }],
  fields: [
    {
      name: 'id',
      type: 'string',
      required: true,
      unique: true,
      description: {
        es: 'Identificador: <compromiso>.<tipo de informe>.<informe>.<n>',
        en: 'Id: <commitment>.<report kind>.<report>.<n>',
      },
    },
    text('commitmentId', 'Compromiso evaluado', 'The commitment assessed', true),
    {
      name: 'reportKind',
      type: 'string',
      required: true,
      enum: ['action_plan_review', 'results_report'],
      description: {
        es: 'Informe del IRM: action_plan_review (revisión del plan) o results_report (informe de resultados)',
        en: 'IRM report: action_plan_review or results_report',
      },
    },
    text(
      'reportId',
      'Identificador del informe que da el evaluador',
      "The assessor's id of the report",
      true,
    ),
    {
      name: 'current',
      type: 'boolean',
      required: true,
      description: {
        es: 'true si es la vigente para su informe; false si otra la reemplazó',
        en: 'true when it is the current one for its report; false when another replaced it',
      },
    },
    text('supersededBy', 'La evaluación que la reemplazó', 'The assessment that replaced it'),
    text('supersedes', 'La evaluación que reemplaza', 'The assessment it replaces'),
    text('reason', 'Por qué reemplaza a la anterior', 'Why it replaces the earlier one'),
    text(
      'schemeName',
      'Método de evaluación, p. ej. OGP IRM',
      'Assessment method, e.g. OGP IRM',
      true,
    ),
    text('schemeVersion', 'Versión del método', "The method's version", true),
    {
      name: 'verifiability',
      type: 'string',
      required: true,
      enum: ['verifiable', 'not_verifiable'],
      description: { es: 'Verificabilidad', en: 'Verifiability' },
    },
    {
      name: 'openGovernmentRelevant',
      type: 'boolean',
      required: true,
      description: {
        es: 'Si es relevante para el lente de gobierno abierto',
        en: 'Whether it is relevant to the open-government lens',
      },
    },
    {
      name: 'openGovernmentValues',
      type: 'array',
      required: true,
      description: {
        es: 'Valores de OGP por los que es relevante (lista JSON)',
        en: 'OGP values it is relevant through (JSON list)',
      },
    },
    {
      name: 'potentialForResults',
      type: 'string',
      required: true,
      enum: ['unclear', 'modest', 'substantial'],
      description: { es: 'Potencial de resultados', en: 'Potential for results' },
    },
    {
      name: 'completion',
      type: 'string',
      required: true,
      enum: ['no_evidence_available', 'not_started', 'limited', 'substantial', 'complete'],
      description: { es: 'Nivel de cumplimiento', en: 'Completion' },
    },
    {
      name: 'didItOpenGovernment',
      type: 'string',
      required: true,
      enum: ['worsened', 'did_not_change', 'marginal', 'major', 'outstanding'],
      description: { es: '¿Abrió el gobierno?', en: 'Did it open government?' },
    },
    text('justification', 'Justificación del evaluador', "The assessor's justification", true),
    {
      name: 'evidenceCount',
      type: 'integer',
      required: true,
      minimum: 1,
      description: {
        es: 'Evidencias que la respaldan (ver assessment-evidence)',
        en: 'Evidence supporting it (see assessment-evidence)',
      },
    },
    {
      name: 'recordedAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se registró (UTC)', en: 'When it was recorded (UTC)' },
    },
    {
      name: 'position',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Posición en el registro del evento que la registró',
        en: 'Log position of the event that recorded it',
      },
    },
  ],
  sql: `
    SELECT assessment_id AS id, commitment_id AS "commitmentId", report_kind AS "reportKind",
           report_id AS "reportId", superseded_by IS NULL AS current,
           superseded_by AS "supersededBy", assessment->>'supersedes' AS supersedes,
           assessment->>'reason' AS reason, assessment#>>'{scheme,name}' AS "schemeName",
           assessment#>>'{scheme,version}' AS "schemeVersion",
           assessment->>'verifiability' AS verifiability,
           (assessment#>>'{openGovernmentLens,relevant}')::boolean AS "openGovernmentRelevant",
           ARRAY(SELECT jsonb_array_elements_text(assessment#>'{openGovernmentLens,values}'))
             AS "openGovernmentValues",
           assessment->>'potentialForResults' AS "potentialForResults",
           assessment->>'completion' AS completion,
           assessment->>'didItOpenGovernment' AS "didItOpenGovernment",
           assessment->>'justification' AS justification,
           jsonb_array_length(assessment->'evidence') AS "evidenceCount",
           recorded_at AS "recordedAt", position
      FROM read.independent_assessments
     ORDER BY assessment_id`,
};

export const assessmentEvidenceResource: ResourceSpec = {
  name: 'assessment-evidence',
  title: { es: 'Evidencias de las evaluaciones', en: "Assessments' evidence" },
  description: {
    es: 'Una evidencia de una evaluación independiente por fila: el hash SHA-256 del documento, su tipo de medio y su enlace',
    en: "One piece of an independent assessment's evidence per row: the document's SHA-256 hash, media type and link",
  },
  primaryKey: ['assessmentId', 'ordinal'],
  foreignKeys: [{ fields: ['assessmentId'], resource: 'assessments', reference: ['id'] }],
  fields: [
    text('assessmentId', 'Evaluación que respalda', 'The assessment it supports', true),
    {
      name: 'ordinal',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Orden dentro de la evaluación (desde 0)',
        en: 'Order within the assessment (from 0)',
      },
    },
    {
      name: 'kind',
      type: 'string',
      required: true,
      enum: ['link', 'document'],
      description: {
        es: 'link (enlace) o document (documento identificado por su hash)',
        en: 'link, or document (identified by its hash)',
      },
    },
    {
      name: 'sha256',
      type: 'string',
      required: true,
      pattern: SHA256,
      description: {
        es: 'SHA-256 de los bytes del documento (64 dígitos hexadecimales)',
        en: "SHA-256 of the document's bytes (64 hex digits)",
      },
    },
    text(
      'mediaType',
      'Tipo de medio IANA, p. ej. application/pdf',
      'IANA media type, e.g. application/pdf',
      true,
    ),
    text('url', 'Enlace (para kind link)', 'Link (for kind link)'),
    text('fileName', 'Nombre del archivo (para kind document)', 'File name (for kind document)'),
    text('description', 'Descripción', 'Description', true),
  ],
  sql: `
    SELECT a.assessment_id AS "assessmentId", e.ordinal - 1 AS ordinal, e.item->>'kind' AS kind,
           e.item->>'sha256' AS sha256, e.item->>'mediaType' AS "mediaType",
           e.item->>'url' AS url, e.item->>'fileName' AS "fileName",
           e.item->>'description' AS description
      FROM read.independent_assessments a,
           jsonb_array_elements(a.assessment->'evidence') WITH ORDINALITY AS e(item, ordinal)
     ORDER BY a.assessment_id, e.ordinal`,
};

/**
 * Red flags as the API's `redFlags` reports them judged at the package's instant (`asOf`):
 * each file of the red flags' read model is judged by the same pure evaluation, with the
 * thresholds in force. The rows follow the files' order, then each file's flags'.
 */
export const redFlagsResource: ResourceSpec = {
  name: 'red-flags',
  title: { es: 'Alertas', en: 'Red flags' },
  description: {
    es: 'Una alerta por fila, abierta o cerrada, tal como la API la reporta en el instante del corte del paquete (asOf): las alertas dependen del tiempo, así que otro paquete, cortado después, puede mostrar más o cerrarlas',
    en: 'One red flag per row, open or closed, as the API reports it at the instant the package is cut at (asOf): flags depend on time, so a package cut later may show more, or close them',
  },
  primaryKey: ['id'],
  fields: [
    {
      name: 'id',
      type: 'string',
      required: true,
      unique: true,
      description: {
        es: 'Identificador estable de la alerta (regla, expediente, sujeto y cuál de sus levantamientos)',
        en: "The flag's stable id (rule, file, subject and which raising of it)",
      },
    },
    {
      name: 'rule',
      type: 'string',
      required: true,
      enum: RULES.map((rule) => rule.code),
      description: {
        es: 'Regla que la levantó (ver redFlagRules en la API)',
        en: 'The rule that raised it (see redFlagRules in the API)',
      },
    },
    {
      name: 'ruleVersion',
      type: 'integer',
      required: true,
      minimum: 1,
      description: { es: 'Versión de la regla', en: "The rule's version" },
    },
    {
      name: 'subjectKind',
      type: 'string',
      required: true,
      enum: SUBJECT_KINDS,
      description: {
        es: 'Qué señala: commitment, milestone, budget_line, evaluation, dialogue_space o improvement_action',
        en: 'What it points at: commitment, milestone, budget_line, evaluation, dialogue_space or improvement_action',
      },
    },
    text('subjectId', 'Identificador de lo que señala', 'Id of what it points at', true),
    {
      name: 'commitmentIds',
      type: 'array',
      required: true,
      description: {
        es: 'Compromisos a los que concierne (lista JSON; vacía para una evaluación ciudadana)',
        en: 'The commitments it concerns (JSON list; empty for a citizen evaluation)',
      },
    },
    {
      name: 'raisedAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo se levantó (UTC)', en: 'When it was raised (UTC)' },
    },
    {
      name: 'closedAt',
      type: 'datetime',
      description: {
        es: 'Cuándo se cerró (UTC); vacío si sigue abierta al corte',
        en: 'When it was closed (UTC); empty when still open at the cut',
      },
    },
    {
      name: 'state',
      type: 'string',
      required: true,
      enum: ['open', 'closed'],
      description: {
        es: 'open (abierta) o closed (cerrada), al corte',
        en: 'open or closed, at the cut',
      },
    },
    {
      name: 'evidence',
      type: 'array',
      required: true,
      description: {
        es: 'Posiciones en el registro de los eventos que la levantaron (y la cerraron), lista JSON de enteros escritos como texto: su prueba de inclusión la liga al punto de control firmado',
        en: 'Log positions of the events that raised it (and closed it), a JSON list of whole numbers written as text: their inclusion proofs tie it to the signed checkpoint',
      },
    },
    {
      name: 'justifications',
      type: 'integer',
      required: true,
      minimum: 0,
      description: {
        es: 'Justificaciones registradas para ella hasta el corte',
        en: 'Justifications recorded for it up to the cut',
      },
    },
  ],
  sql: `SELECT key, file FROM read.red_flag_files ORDER BY key`,
  rows(row, cut) {
    if (cut.asOf === null) return [];
    const flags: RedFlag[] = evaluateFile(
      String(row.key),
      row.file as FlagFile,
      cut.asOf,
      cut.redFlagThresholds,
    );
    return flags.map((flag) => ({
      id: flag.id,
      rule: flag.rule,
      ruleVersion: flag.ruleVersion,
      subjectKind: flag.subject.kind,
      subjectId: flag.subject.id,
      commitmentIds: flag.subject.commitmentIds,
      raisedAt: flag.raisedAt,
      closedAt: flag.closedAt,
      state: flag.state,
      evidence: flag.evidence,
      justifications: flag.justifications.length,
    }));
  },
};
