import { CommitmentNotFound, CommitmentTimeline, MilestoneNotFound } from '#commitments';
import type { EventStore } from '#event-store';

/**
 * Checks that the commitment and milestone an exercise says it serves exist, from the
 * commitment's stream (so a commitment registered a moment ago is found). The API runs it
 * before opening an exercise; trusted loaders (the demo) record their commitments first.
 */
export class PrioritizationTargets {
  private readonly commitments: CommitmentTimeline;

  constructor(store: EventStore) {
    this.commitments = new CommitmentTimeline(store);
  }

  /**
   * @throws CommitmentNotFound (field commitmentId) or MilestoneNotFound (field milestoneId).
   */
  async check(target: { commitmentId?: string; milestoneId?: string }): Promise<void> {
    if (target.commitmentId === undefined) return;
    const { state } = await this.commitments.snapshot(target.commitmentId);
    if (state.status === 'empty') throw new CommitmentNotFound(target.commitmentId);
    const { milestoneId } = target;
    if (milestoneId !== undefined && !state.milestones.some((m) => m.id === milestoneId)) {
      throw new MilestoneNotFound(milestoneId);
    }
  }
}
