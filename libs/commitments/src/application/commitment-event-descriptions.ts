import type { ContextEventDescriptions, DescribedStream } from '#platform';
import { summarizeCommitmentEvent, type CommitmentState } from '../domain/index.js';
import { commitmentChangesOf } from '../graphql/commitment.mapper.js';
import { COMMITMENT_STREAM } from './commitment-stream.js';

const commitments: DescribedStream<CommitmentState> = {
  prefix: 'commitment-',
  streamType: COMMITMENT_STREAM,
  changes: commitmentChangesOf,
};

/**
 * How commitments' events read in the audit log: a line each, and a commitment's diff in the
 * shape its history shows. Code reservations (`commitment.code-`) have summaries but no diff.
 */
export const COMMITMENT_EVENT_DESCRIPTIONS: ContextEventDescriptions = {
  streams: [commitments as DescribedStream],
  summarize: summarizeCommitmentEvent,
};
