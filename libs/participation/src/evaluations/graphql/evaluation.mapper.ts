import { diffFields, type FieldChange } from '#kernel';
import type { EvaluationState, SubmittedEvaluation } from '../domain/index.js';
import { answerStateOf, colombianDate } from '../domain/index.js';
import type { EvaluationRow } from '../read-models/evaluations/evaluations.queries.js';
import type {
  AnswerStateEnum,
  ModerationStateEnum,
  ReportReasonEnum,
  EvaluationTargetKindEnum,
} from './models/evaluation.enums.js';
import type { EvaluationModel } from './models/evaluation.model.js';

/** What a hidden evaluation reads as: "moderated on <date>: <category>". */
export function moderationPlaceholder(hiddenAt: Date, category: string): string {
  return `moderated on ${colombianDate(hiddenAt)}: ${category}`;
}

export function evaluationFromRow(row: EvaluationRow): EvaluationModel {
  const hidden = row.moderation_state === 'hidden';
  return {
    id: row.id,
    target: {
      kind: row.target_kind as EvaluationTargetKindEnum,
      commitmentId: row.commitment_id,
      milestoneId: row.milestone_id,
      dialogueSpaceId: row.dialogue_space_id,
    },
    territory: row.territory,
    ratings: hidden
      ? null
      : {
          clarity: row.clarity,
          progress: row.progress,
          dialogueUsefulness: row.dialogue_usefulness,
        },
    submittedAt: row.submitted_at,
    dueDate: row.due_day,
    answerState: row.answer_state as AnswerStateEnum,
    answer:
      row.answer === null || row.answered_at === null
        ? null
        : { text: row.answer, answeredAt: row.answered_at, agencyId: row.agency_id },
    answers: row.answers,
    reports: row.reports,
    moderation: {
      state: row.moderation_state as ModerationStateEnum,
      category: row.hidden_category as ReportReasonEnum | null,
      reason: row.hidden_reason,
      automatic: row.hidden_automatic,
      hiddenAt: row.hidden_at,
    },
    placeholder:
      hidden && row.hidden_at && row.hidden_category
        ? moderationPlaceholder(row.hidden_at, row.hidden_category)
        : null,
    version: row.version,
    personal: { comment: row.comment, contact: row.contact, groups: row.groups },
    agencyId: row.agency_id,
    hidden,
  };
}

/**
 * An evaluation folded from its stream (time travel, subscriptions). `personal` holds the
 * placeholders of the submission's event, which the state does not keep.
 */
export function evaluationFromState(
  state: SubmittedEvaluation,
  version: number,
  personal: EvaluationModel['personal'],
  now: Date,
): EvaluationModel {
  const { moderation, target } = state;
  const hidden = moderation.state === 'hidden';
  return {
    id: state.evaluationId,
    target: {
      kind: target.kind as EvaluationTargetKindEnum,
      commitmentId: target.kind === 'dialogue_space' ? null : target.commitmentId,
      milestoneId: target.kind === 'milestone' ? target.milestoneId : null,
      dialogueSpaceId: target.kind === 'dialogue_space' ? target.dialogueSpaceId : null,
    },
    territory: state.territory,
    ratings: hidden
      ? null
      : {
          clarity: state.ratings.clarity ?? null,
          progress: state.ratings.progress ?? null,
          dialogueUsefulness: state.ratings.dialogue_usefulness ?? null,
        },
    submittedAt: new Date(state.submittedAt),
    dueDate: state.dueDate,
    answerState: answerStateOf(
      { answered: state.answer !== undefined, dueDate: state.dueDate },
      now,
    ) as AnswerStateEnum,
    answer: state.answer
      ? {
          text: state.answer.answer,
          answeredAt: new Date(state.answer.answeredAt),
          agencyId: state.agencyId,
        }
      : null,
    answers: state.answers,
    reports: state.reports,
    moderation:
      moderation.state === 'hidden'
        ? {
            state: 'hidden' as ModerationStateEnum,
            category: moderation.category as ReportReasonEnum,
            reason: moderation.reason,
            automatic: moderation.automatic,
            hiddenAt: new Date(moderation.hiddenAt),
          }
        : {
            state: 'visible' as ModerationStateEnum,
            category: null,
            reason: null,
            automatic: null,
            hiddenAt: null,
          },
    placeholder:
      moderation.state === 'hidden'
        ? moderationPlaceholder(new Date(moderation.hiddenAt), moderation.category)
        : null,
    version,
    personal,
    agencyId: state.agencyId,
    hidden,
  };
}

/** What an event of an evaluation's history changed, as the API shows the evaluation. */
export function evaluationChanges(entry: {
  before: EvaluationState;
  after: EvaluationState;
}): FieldChange[] {
  const shown = (state: EvaluationState) =>
    state.status === 'none'
      ? null
      : {
          target: state.target,
          territory: state.territory,
          ratings: state.ratings,
          dueDate: state.dueDate,
          answer: state.answer?.answer ?? null,
          answers: state.answers,
          reports: state.reports,
          moderation: state.moderation,
        };
  return diffFields(shown(entry.before), shown(entry.after));
}
