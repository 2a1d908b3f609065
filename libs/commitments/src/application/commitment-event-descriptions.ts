import type { ContextEventDescriptions, DescribedStream } from '#platform';
import {
  COMMITMENT_CODE_STREAM_PREFIX,
  summarizeCommitmentEvent,
  type CommitmentState,
} from '../domain/index.js';
import { commitmentChangesOf } from '../graphql/commitment.mapper.js';
import { COMMITMENT_STREAM } from './commitment-stream.js';

const commitments: DescribedStream<CommitmentState> = {
  prefix: 'commitment-',
  name: COMMITMENT_STREAM.name,
  state: { streamType: COMMITMENT_STREAM, changes: commitmentChangesOf },
};

/** Which commitment holds a code: a reservation, with no state the API shows. */
const codes: DescribedStream = { prefix: COMMITMENT_CODE_STREAM_PREFIX, name: 'commitmentCode' };

/**
 * How commitments' events read in the audit log: a line each, and a commitment's diff in the
 * shape its history shows. Code reservations (`commitment.code-`) have summaries but no diff.
 */
export const COMMITMENT_EVENT_DESCRIPTIONS: ContextEventDescriptions = {
  streams: [commitments as DescribedStream, codes],
  summarize: summarizeCommitmentEvent,
};
