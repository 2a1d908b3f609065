import { text, type Decider, type DecideContext } from '#kernel';
import { answerDueDate, type HolidayCalendar } from './business-days.js';
import type { EvaluationCommand } from './evaluation.commands.js';
import {
  EvaluationAlreadyReported,
  EvaluationAlreadySubmitted,
  EvaluationModerationConflict,
  EvaluationNotFound,
  EvaluationTargetNotFound,
} from './evaluation.errors.js';
import type {
  EvaluationEvent,
  EvaluationHidden,
  EvaluationTarget,
  ReportReason,
  StoredEvaluationEvent,
} from './evaluation.events.js';
import { evolveEvaluation } from './evaluation.evolve.js';
import {
  initialEvaluationState,
  type EvaluationState,
  type SubmittedEvaluation,
} from './evaluation.state.js';
import * as check from './evaluation.validate.js';

/** What the decider knows of the things an evaluation may name, looked up beforehand. */
export interface TargetDirectory {
  /** A commitment's lead agency and milestone ids; undefined when it does not exist. */
  commitment(
    commitmentId: string,
  ): { agencyId: string; milestoneIds: readonly string[] } | undefined;
  /** A dialogue space's convening agency (null: none recorded); undefined when it does not exist. */
  dialogueSpace(dialogueSpaceId: string): { agencyId: string | null } | undefined;
}

export interface EvaluationPolicy {
  /** Colombia's public holidays, for the answer's due date. */
  holidays: HolidayCalendar;
  /** Reports that hide a visible evaluation, pending review (default 3). */
  autoHideAfter: number;
  /** The targets a submission may name (only SubmitEvaluation reads it). */
  targets: TargetDirectory;
}

export const DEFAULT_AUTO_HIDE_AFTER = 3;

/** The agency that answers an evaluation of `target`, or the error naming what is missing. */
function answeringAgency(target: EvaluationTarget, targets: TargetDirectory): string | null {
  if (target.kind === 'dialogue_space') {
    const space = targets.dialogueSpace(target.dialogueSpaceId);
    if (!space) {
      throw new EvaluationTargetNotFound(
        'target.dialogueSpaceId',
        `dialogue space ${target.dialogueSpaceId}`,
      );
    }
    return space.agencyId;
  }
  const commitment = targets.commitment(target.commitmentId);
  if (!commitment) {
    throw new EvaluationTargetNotFound('target.commitmentId', `commitment ${target.commitmentId}`);
  }
  if (target.kind === 'milestone' && !commitment.milestoneIds.includes(target.milestoneId)) {
    throw new EvaluationTargetNotFound(
      'target.milestoneId',
      `milestone ${target.milestoneId} of commitment ${target.commitmentId}`,
    );
  }
  return commitment.agencyId;
}

function submitted(state: EvaluationState, evaluationId: string): SubmittedEvaluation {
  if (state.status === 'none') throw new EvaluationNotFound(evaluationId);
  return state;
}

/** The category an automatic hide shows: the reason reported most since the last review. */
function mostReported(counts: Partial<Record<ReportReason, number>>): ReportReason {
  let best: ReportReason = 'spam';
  let most = -1;
  for (const [reason, count] of Object.entries(counts) as [ReportReason, number][]) {
    if (count > most) [best, most] = [reason, count];
  }
  return best;
}

export function decideEvaluation(
  command: EvaluationCommand,
  state: EvaluationState,
  context: DecideContext,
  policy: EvaluationPolicy,
): EvaluationEvent[] {
  const at = context.now.toISOString();
  const { evaluationId } = command.data;
  switch (command.type) {
    case 'SubmitEvaluation': {
      const { data } = command;
      if (state.status !== 'none') throw new EvaluationAlreadySubmitted(evaluationId);
      const target = check.evaluationTarget(data.target);
      const ratings = check.ratings(data.ratings);
      const territory = check.territory(data.territory);
      const comment = check.comment(data.comment);
      const contact = check.contact(data.contact);
      const groups = check.groups(data.groups);
      const agencyId = answeringAgency(target, policy.targets);
      return [
        {
          type: 'EvaluationSubmitted',
          data: {
            evaluationId,
            target,
            agencyId,
            ratings,
            territory,
            ...(comment !== undefined ? { comment } : {}),
            ...(contact !== undefined ? { contact } : {}),
            ...(groups !== undefined ? { groups } : {}),
            submittedAt: at,
            dueDate: answerDueDate(context.now, policy.holidays),
          },
        },
      ];
    }
    case 'AnswerEvaluation': {
      submitted(state, evaluationId);
      const answer = text(command.data.answer, 'answer');
      return [{ type: 'EvaluationAnswered', data: { evaluationId, answer, answeredAt: at } }];
    }
    case 'ReportEvaluation': {
      const current = submitted(state, evaluationId);
      const reason = check.reportReason(command.data.reason);
      const reporter = text(command.data.reporter, 'reporter');
      // Each reporter counts once, so the reports since review are distinct reporters.
      if (current.reporters.includes(reporter)) throw new EvaluationAlreadyReported(evaluationId);
      const events: EvaluationEvent[] = [
        { type: 'EvaluationReported', data: { evaluationId, reason, reporter, reportedAt: at } },
      ];
      const reports = current.reportsSinceReview + 1;
      if (current.moderation.state === 'visible' && reports >= policy.autoHideAfter) {
        const counts = { ...current.reasonsSinceReview };
        counts[reason] = (counts[reason] ?? 0) + 1;
        const hidden: EvaluationHidden = {
          type: 'EvaluationHidden',
          data: {
            evaluationId,
            category: mostReported(counts),
            reason: `hidden automatically after ${reports} reports, pending review`,
            automatic: true,
            hiddenAt: at,
          },
        };
        events.push(hidden);
      }
      return events;
    }
    case 'HideEvaluation': {
      const current = submitted(state, evaluationId);
      const category = check.reportReason(command.data.category, 'category');
      const reason = text(command.data.reason, 'reason');
      if (current.moderation.state === 'hidden') {
        throw new EvaluationModerationConflict(evaluationId, 'hidden');
      }
      return [
        {
          type: 'EvaluationHidden',
          data: { evaluationId, category, reason, automatic: false, hiddenAt: at },
        },
      ];
    }
    case 'RestoreEvaluation': {
      const current = submitted(state, evaluationId);
      const reason = text(command.data.reason, 'reason');
      if (current.moderation.state === 'visible') {
        throw new EvaluationModerationConflict(evaluationId, 'visible');
      }
      return [{ type: 'EvaluationRestored', data: { evaluationId, reason, restoredAt: at } }];
    }
  }
}

/** The evaluation's decider under a policy: holidays, the auto-hide threshold, the targets. */
export function evaluationDecider(
  policy: EvaluationPolicy,
): Decider<EvaluationCommand, EvaluationEvent, EvaluationState, StoredEvaluationEvent> {
  return {
    decide: (command, state, context) => decideEvaluation(command, state, context, policy),
    evolve: evolveEvaluation,
    initialState: initialEvaluationState,
  };
}
