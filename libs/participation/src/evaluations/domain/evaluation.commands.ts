/**
 * Evaluation commands, as the API hands them over: their data is not trusted to have any
 * shape, and the decider checks each field.
 */
export interface SubmitEvaluation {
  type: 'SubmitEvaluation';
  data: {
    evaluationId: string;
    target: unknown;
    ratings: unknown;
    territory: unknown;
    comment?: unknown;
    contact?: unknown;
    groups?: unknown;
  };
}

export interface AnswerEvaluation {
  type: 'AnswerEvaluation';
  data: { evaluationId: string; answer: unknown };
}

export interface ReportEvaluation {
  type: 'ReportEvaluation';
  /** `reporter`: the verified caller's subject, filled by the API, never by client input. */
  data: { evaluationId: string; reason: unknown; reporter: unknown };
}

export interface HideEvaluation {
  type: 'HideEvaluation';
  data: { evaluationId: string; category: unknown; reason: unknown };
}

export interface RestoreEvaluation {
  type: 'RestoreEvaluation';
  data: { evaluationId: string; reason: unknown };
}

export type EvaluationCommand =
  SubmitEvaluation | AnswerEvaluation | ReportEvaluation | HideEvaluation | RestoreEvaluation;

export type EvaluationCommandType = EvaluationCommand['type'];
