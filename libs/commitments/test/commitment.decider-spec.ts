import { deciderSpec, withIds as withGenericIds } from '../../../test/support/decider-spec.js';
import {
  commitmentDecider,
  type CommitmentEvent,
  type StoredCommitmentEvent,
} from '../src/domain/index.js';

// The generic given/when/then decider spec, set up for the commitment's decider.

export { TEST_NOW } from '../../../test/support/decider-spec.js';

export const { given } = deciderSpec(commitmentDecider);

/** Gives each event without an id the id `event-<n>` (see the generic `withIds`). */
export function withIds(
  events: readonly (CommitmentEvent | StoredCommitmentEvent)[],
): StoredCommitmentEvent[] {
  return withGenericIds<CommitmentEvent>(events);
}
