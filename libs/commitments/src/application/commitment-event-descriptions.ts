import type { ContextEventDescriptions, DescribedStream } from '#platform';
import {
  actionPlanStream,
  COMMITMENT_CODE_STREAM_PREFIX,
  summarizeCommitmentEvent,
  type ActionPlanState,
  type CommitmentState,
} from '../domain/index.js';
import { actionPlanChangesOf } from '../graphql/action-plan.mapper.js';
import { commitmentChangesOf } from '../graphql/commitment.mapper.js';
import { ACTION_PLAN_STREAM } from './action-plan-command.handler.js';
import { COMMITMENT_STREAM } from './commitment-stream.js';

const commitments: DescribedStream<CommitmentState> = {
  prefix: 'commitment-',
  name: COMMITMENT_STREAM.name,
  state: { streamType: COMMITMENT_STREAM, changes: commitmentChangesOf },
};

/** Which commitment holds a code: a reservation, with no state the API shows. */
const codes: DescribedStream = { prefix: COMMITMENT_CODE_STREAM_PREFIX, name: 'commitmentCode' };

/** Action plans (`action-plan-<id>`), diffed as the plan's history shows them. */
const actionPlans: DescribedStream<ActionPlanState> = {
  prefix: actionPlanStream(''),
  name: ACTION_PLAN_STREAM.name,
  state: { streamType: ACTION_PLAN_STREAM, changes: actionPlanChangesOf },
};

/**
 * How commitments' events read in the audit log: a line each, and a commitment's or an action
 * plan's diff in the shape its history shows. Code reservations (`commitment.code-`) have
 * summaries but no diff.
 */
export const COMMITMENT_EVENT_DESCRIPTIONS: ContextEventDescriptions = {
  streams: [commitments, codes, actionPlans] as DescribedStream[],
  summarize: summarizeCommitmentEvent,
};
