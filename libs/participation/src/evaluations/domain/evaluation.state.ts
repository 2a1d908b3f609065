import type { CalendarDate } from '#kernel';
import type { EvaluationTarget, Ratings, ReportReason, Timestamp } from './evaluation.events.js';

export interface EvaluationAnswer {
  eventId: string;
  answer: string;
  answeredAt: Timestamp;
}

export type Moderation =
  | { state: 'visible' }
  | {
      state: 'hidden';
      category: ReportReason;
      reason: string;
      automatic: boolean;
      hiddenAt: Timestamp;
    };

export interface SubmittedEvaluation {
  status: 'submitted';
  evaluationId: string;
  target: EvaluationTarget;
  agencyId: string | null;
  ratings: Ratings;
  territory: string;
  submittedAt: Timestamp;
  dueDate: CalendarDate;
  /** The latest answer; earlier ones stay in the stream's history. */
  answer?: EvaluationAnswer;
  answers: number;
  /** Reports since the evaluation was last restored (all of them if never). */
  reportsSinceReview: number;
  reports: number;
  /** Everyone who has reported it, ever: each reporter reports once. */
  reporters: readonly string[];
  /** The reasons of those reports, counted. */
  reasonsSinceReview: Partial<Record<ReportReason, number>>;
  moderation: Moderation;
}

export type EvaluationState = { status: 'none' } | SubmittedEvaluation;

export const initialEvaluationState: EvaluationState = { status: 'none' };
