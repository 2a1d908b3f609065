import { CommitmentNotFound, CommitmentTimeline } from '#commitments';
import type { EventStore } from '#event-store';
import { identifier } from '#kernel';

/**
 * Checks that the commitment an assessment is about exists, from the commitment's stream (so
 * a commitment registered a moment ago is found). The API runs it before recording an
 * assessment; trusted loaders record their commitments first.
 */
export class AssessmentTargets {
  private readonly commitments: CommitmentTimeline;

  constructor(store: EventStore) {
    this.commitments = new CommitmentTimeline(store);
  }

  /**
   * @throws InvalidCommand for an id that is not one (as the decider would), else
   * CommitmentNotFound (field commitmentId).
   */
  async check(commitmentId: string): Promise<void> {
    identifier(commitmentId, 'commitmentId');
    const { state } = await this.commitments.snapshot(commitmentId);
    if (state.status === 'empty') throw new CommitmentNotFound(commitmentId);
  }
}
