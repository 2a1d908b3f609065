import type { Evidence, OgpValue } from '#commitments';
import {
  fail,
  identifier,
  list,
  object,
  oneOf,
  sameJson,
  text,
  TEXT_LIMITS,
  unique,
  type DecideContext,
  type Decider,
} from '#kernel';
import type { AssessmentCommand, RecordIndependentAssessment } from './assessment.commands.js';
import {
  COMPLETION_LEVELS,
  OPEN_GOVERNMENT_RESULTS,
  POTENTIAL_FOR_RESULTS,
  REPORT_KINDS,
  VERIFIABILITY,
  assessmentStreamId,
  type AssessedReport,
  type AssessmentEvent,
  type AssessmentRatings,
  type OpenGovernmentLens,
  type StoredAssessmentEvent,
} from './assessment.events.js';
import { evolveAssessment } from './assessment.evolve.js';
import {
  currentAssessment,
  initialAssessmentState,
  type AssessmentState,
} from './assessment.state.js';

/** Sizes an assessment's fields may take. */
export const ASSESSMENT_LIMITS = {
  /** A scheme's name or version. */
  scheme: 200,
  justification: TEXT_LIMITS.text,
  reason: TEXT_LIMITS.text,
  /** Pieces of evidence per assessment. */
  evidence: 20,
} as const;

/**
 * What the assessments borrow from the commitments context, so that an assessment names OGP
 * values and records evidence exactly as commitments do: the list of OGP values, and the
 * check of one piece of evidence (which throws InvalidCommand naming the field).
 */
export interface AssessmentVocabulary {
  readonly ogpValues: readonly OgpValue[];
  evidence(value: unknown, field: string): Evidence;
}

/**
 * The events recording an assessment, or the DomainError saying why none. Rules:
 * - every rating is required and one of its listed values; the scheme's name and version,
 *   the justification and at least one piece of evidence are required;
 * - relevant to the open-government lens: at least one OGP value; not relevant: none;
 * - the first assessment of a report takes no `reason`; a later one supersedes the current
 *   one and requires a `reason`, and must change something.
 * Pure: nothing here reads a clock.
 */
export function decideAssessment(
  vocabulary: AssessmentVocabulary,
  command: AssessmentCommand,
  state: AssessmentState,
): AssessmentEvent[] {
  switch (command.type) {
    case 'RecordIndependentAssessment':
      return record(vocabulary, command, state);
  }
}

function record(
  vocabulary: AssessmentVocabulary,
  command: RecordIndependentAssessment,
  state: AssessmentState,
): AssessmentEvent[] {
  const data = object(command.data, 'input');
  const commitmentId = identifier(data.commitmentId, 'commitmentId');
  const report = reportOf(data.report);
  const ratings = ratingsOf(vocabulary, data);
  const reason =
    data.reason === undefined ? undefined : text(data.reason, 'reason', ASSESSMENT_LIMITS.reason);
  const streamId = assessmentStreamId(commitmentId, report);

  if (state.status === 'none') {
    if (reason !== undefined) {
      fail(
        'reason',
        'not_a_field',
        'reason is given only when an assessment supersedes an earlier one of the same report',
      );
    }
    return [recorded({ assessmentId: `${streamId}.1`, commitmentId, report, ...ratings })];
  }
  const current = currentAssessment(state);
  if (reason === undefined) {
    fail(
      'reason',
      'required',
      `reason is required: this report already has an assessment (${current.assessmentId}), ` +
        'which this one supersedes',
    );
  }
  if (sameJson(ratingsOnly(current), ratings)) {
    fail(
      'input',
      'no_change',
      `the assessment repeats ${current.assessmentId} unchanged: a later assessment must change ` +
        'a rating, the justification or the evidence',
    );
  }
  return [
    recorded({
      assessmentId: `${streamId}.${state.assessments.length + 1}`,
      commitmentId,
      report,
      supersedes: current.assessmentId,
      reason,
      ...ratings,
    }),
  ];
}

function recorded(data: AssessmentEvent['data']): AssessmentEvent {
  return { type: 'IndependentAssessmentRecorded', data };
}

function reportOf(value: unknown): AssessedReport {
  const report = object(value, 'report');
  return {
    kind: oneOf(report.kind, REPORT_KINDS, 'report.kind'),
    id: identifier(report.id, 'report.id'),
  };
}

function ratingsOf(
  vocabulary: AssessmentVocabulary,
  data: Record<string, unknown>,
): AssessmentRatings {
  const scheme = object(data.scheme, 'scheme');
  return {
    scheme: {
      name: text(scheme.name, 'scheme.name', ASSESSMENT_LIMITS.scheme),
      version: text(scheme.version, 'scheme.version', ASSESSMENT_LIMITS.scheme),
    },
    verifiability: oneOf(data.verifiability, VERIFIABILITY, 'verifiability'),
    openGovernmentLens: lensOf(vocabulary, data.openGovernmentLens),
    potentialForResults: oneOf(
      data.potentialForResults,
      POTENTIAL_FOR_RESULTS,
      'potentialForResults',
    ),
    completion: oneOf(data.completion, COMPLETION_LEVELS, 'completion'),
    didItOpenGovernment: oneOf(
      data.didItOpenGovernment,
      OPEN_GOVERNMENT_RESULTS,
      'didItOpenGovernment',
    ),
    justification: text(data.justification, 'justification', ASSESSMENT_LIMITS.justification),
    evidence: evidenceOf(vocabulary, data.evidence),
  };
}

function lensOf(vocabulary: AssessmentVocabulary, value: unknown): OpenGovernmentLens {
  const lens = object(value, 'openGovernmentLens');
  if (lens.relevant === undefined || lens.relevant === null) {
    fail('openGovernmentLens.relevant', 'required');
  }
  if (typeof lens.relevant !== 'boolean') {
    fail(
      'openGovernmentLens.relevant',
      'format',
      'openGovernmentLens.relevant must be true or false',
    );
  }
  const field = 'openGovernmentLens.values';
  const values = list(lens.values ?? [], field, vocabulary.ogpValues.length).map((item, i) =>
    oneOf(item, vocabulary.ogpValues, `${field}.${i}`),
  );
  unique(values, field);
  if (lens.relevant && values.length === 0) {
    fail(field, 'required', `${field} must name at least one OGP value when relevant is true`);
  }
  if (!lens.relevant && values.length > 0) {
    fail(field, 'not_a_field', `${field} must be empty when relevant is false`);
  }
  return { relevant: lens.relevant, values };
}

function evidenceOf(vocabulary: AssessmentVocabulary, value: unknown): Evidence[] {
  if (value === undefined || value === null) fail('evidence', 'required');
  const items = list(value, 'evidence', ASSESSMENT_LIMITS.evidence).map((item, i) =>
    vocabulary.evidence(item, `evidence.${i}`),
  );
  if (items.length === 0) {
    fail('evidence', 'required', 'evidence must list at least one document or link');
  }
  return items;
}

function ratingsOnly(assessment: AssessmentRatings): AssessmentRatings {
  const {
    scheme,
    verifiability,
    openGovernmentLens,
    potentialForResults,
    completion,
    didItOpenGovernment,
    justification,
    evidence,
  } = assessment;
  return {
    scheme,
    verifiability,
    openGovernmentLens,
    potentialForResults,
    completion,
    didItOpenGovernment,
    justification,
    evidence,
  };
}

/**
 * The assessments' decider, over the commitments' vocabulary (`AssessmentVocabulary`). The
 * business time plays no part in the rules; the handler records it as the event's time.
 */
export function assessmentDecider(
  vocabulary: AssessmentVocabulary,
): Decider<AssessmentCommand, AssessmentEvent, AssessmentState, StoredAssessmentEvent> {
  return {
    decide: (command: AssessmentCommand, state: AssessmentState, _context: DecideContext) =>
      decideAssessment(vocabulary, command, state),
    evolve: evolveAssessment,
    initialState: initialAssessmentState,
  };
}
