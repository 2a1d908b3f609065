import type { CalendarDate } from '#kernel';

/** ISO-8601 instant, as the log records business times. */
export type Timestamp = string;

/** What a citizen evaluates: a commitment, one of its milestones, or a dialogue space. */
export type EvaluationTarget =
  | { kind: 'commitment'; commitmentId: string }
  | { kind: 'milestone'; commitmentId: string; milestoneId: string }
  | { kind: 'dialogue_space'; dialogueSpaceId: string };

export const TARGET_KINDS = ['commitment', 'milestone', 'dialogue_space'] as const;

/** The named criteria a citizen rates from 1 to 5; at least one is rated. */
export const CRITERIA = ['clarity', 'progress', 'dialogue_usefulness'] as const;
export type Criterion = (typeof CRITERIA)[number];
export type Ratings = Partial<Record<Criterion, number>>;

/** Why someone reports an evaluation; also the category a hide gives. */
export const REPORT_REASONS = ['spam', 'offensive', 'exposes_personal_data', 'off_topic'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/**
 * A citizen's evaluation. `comment`, `contact` and `groups` are personal data: the log holds
 * only their placeholders (the participation context declares them). `agencyId` is the agency
 * whose stewards answer it; `dueDate` the last day of the answer's legal term (15 Colombian
 * business days, Ley 1755 de 2015), fixed when it is submitted.
 */
export interface EvaluationSubmitted {
  type: 'EvaluationSubmitted';
  data: {
    evaluationId: string;
    target: EvaluationTarget;
    agencyId: string | null;
    ratings: Ratings;
    territory: string;
    comment?: unknown;
    contact?: unknown;
    groups?: unknown;
    submittedAt: Timestamp;
    dueDate: CalendarDate;
  };
}

/** An official answer; a later one supersedes it, and both stay in the history. */
export interface EvaluationAnswered {
  type: 'EvaluationAnswered';
  data: { evaluationId: string; answer: string; answeredAt: Timestamp };
}

/**
 * A report. `reporter` is the verified caller's subject (a token's subject, or an anonymous
 * caller's pseudonymous `anon:` id), the same value the event's metadata actor holds; each
 * reporter counts once. Events written before it was recorded have none and count as
 * distinct reporters.
 */
export interface EvaluationReported {
  type: 'EvaluationReported';
  data: { evaluationId: string; reason: ReportReason; reporter?: string; reportedAt: Timestamp };
}

/**
 * Hidden, never deleted: by a moderator with a reason, or automatically after enough reports
 * (`automatic`, pending review). `category` is what the placeholder shows.
 */
export interface EvaluationHidden {
  type: 'EvaluationHidden';
  data: {
    evaluationId: string;
    category: ReportReason;
    reason: string;
    automatic: boolean;
    hiddenAt: Timestamp;
  };
}

export interface EvaluationRestored {
  type: 'EvaluationRestored';
  data: { evaluationId: string; reason: string; restoredAt: Timestamp };
}

export type EvaluationEvent =
  | EvaluationSubmitted
  | EvaluationAnswered
  | EvaluationReported
  | EvaluationHidden
  | EvaluationRestored;

export type EvaluationEventType = EvaluationEvent['type'];
export type StoredEvaluationEvent = EvaluationEvent & { id: string };

/** The schema version each event type is written at. */
export const EVALUATION_SCHEMA_VERSIONS: Readonly<Record<EvaluationEventType, number>> = {
  EvaluationSubmitted: 1,
  EvaluationAnswered: 1,
  EvaluationReported: 1,
  EvaluationHidden: 1,
  EvaluationRestored: 1,
};

/** The event store's stream of an evaluation. */
export const evaluationStream = (evaluationId: string): string => `evaluation-${evaluationId}`;
