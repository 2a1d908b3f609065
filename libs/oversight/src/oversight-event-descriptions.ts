import type { ContextEventDescriptions, DescribedStream } from '#platform';
import { ASSESSMENT_STREAM } from './assessments/application/assessment-stream.js';
import { ASSESSMENT_STREAM_PREFIX, summarizeAssessmentEvent } from './assessments/domain/index.js';
import { JUSTIFICATION_STREAM_PREFIX, summarizeRedFlagEvent } from './red-flags/domain/index.js';

/**
 * A commitment's assessments for one report (`assessment-<commitment>.<kind>.<report>`). The
 * API shows assessments, not a history of their stream, so its events get no diff.
 */
const assessments: DescribedStream = {
  prefix: ASSESSMENT_STREAM_PREFIX,
  name: ASSESSMENT_STREAM.name,
};

/**
 * The justifications of one red-flag file (`red-flag-<file key>`): reasons beside flags, with
 * no state the API shows as a history.
 */
const justifications: DescribedStream = {
  prefix: JUSTIFICATION_STREAM_PREFIX,
  name: 'redFlag',
};

/** How oversight's own events read in the audit log: a line each. */
export const OVERSIGHT_EVENT_DESCRIPTIONS: ContextEventDescriptions = {
  streams: [assessments, justifications],
  summarize: (event) => summarizeAssessmentEvent(event) ?? summarizeRedFlagEvent(event),
};
