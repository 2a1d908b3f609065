import { defined, identifier, optionalText, text } from '#kernel';
import type { RecordBudget } from './commitment.commands.js';
import { MilestoneNotFound, commitmentRuleBroken } from './commitment.errors.js';
import type { CommitmentEvent } from './commitment.events.js';
import { openCommitment } from './commitment.guards.js';
import type { CommitmentState } from './commitment.state.js';
import { LIMITS, amountCop, budgetPhase } from './commitment.validate.js';

// The commitment's budget: lines recorded phase by phase (planned, approved, adjusted...).

export function recordBudget(command: RecordBudget, state: CommitmentState): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
  const { data } = command;
  const lineId = identifier(data.lineId, 'lineId');
  const phase = budgetPhase(data.phase, 'phase');
  const amount = amountCop(data.amountCop, 'amountCop');
  const fundingSource = text(data.fundingSource, 'fundingSource', LIMITS.name);
  const milestoneId =
    data.milestoneId === undefined ? undefined : identifier(data.milestoneId, 'milestoneId');
  if (milestoneId !== undefined && !commitment.milestones.some((m) => m.id === milestoneId)) {
    throw new MilestoneNotFound(milestoneId);
  }
  const reason = optionalText(data.reason, 'reason');

  const line = commitment.budget.find((l) => l.id === lineId);
  if (line !== undefined && line.fundingSource !== fundingSource) {
    throw commitmentRuleBroken('fundingSource', 'matches_budget_line');
  }
  if (line !== undefined && line.milestoneId !== milestoneId) {
    throw commitmentRuleBroken('milestoneId', 'matches_budget_line');
  }
  // An adjustment replaces the approved amount, so the line's approved amount is the latest
  // of the two.
  const approved = line?.amounts.adjusted ?? line?.amounts.approved;
  if (phase === 'adjusted' && approved === undefined) {
    throw commitmentRuleBroken('phase', 'requires_approved_amount');
  }
  const changesApproved =
    (phase === 'approved' || phase === 'adjusted') && approved !== undefined && amount !== approved;
  if (changesApproved && reason === undefined) {
    throw commitmentRuleBroken(
      'reason',
      'required_to_change_approved_amount',
      `changing the approved amount of line ${lineId} needs a reason`,
    );
  }
  return [
    {
      type: 'BudgetRecorded',
      data: defined({
        commitmentId: commitment.id,
        lineId,
        phase,
        amountCop: amount,
        fundingSource,
        milestoneId,
        reason,
      }),
    },
  ];
}
