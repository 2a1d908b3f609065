import type { DataSource } from 'typeorm';
import type { AnswerState, TARGET_KINDS } from '../../domain/index.js';

export interface EvaluationFilter {
  targetKind?: (typeof TARGET_KINDS)[number];
  commitmentId?: string;
  milestoneId?: string;
  dialogueSpaceId?: string;
  territory?: string;
  answerState?: AnswerState;
  moderationState?: 'visible' | 'hidden';
}

/** A row of read.evaluations, with its answer state worked out in Colombia's today. */
export interface EvaluationRow {
  id: string;
  target_kind: string;
  commitment_id: string | null;
  milestone_id: string | null;
  dialogue_space_id: string | null;
  agency_id: string | null;
  territory: string;
  clarity: number | null;
  progress: number | null;
  dialogue_usefulness: number | null;
  comment: unknown;
  contact: unknown;
  groups: unknown;
  submitted_at: Date;
  submitted_position: string;
  /** The due date, `YYYY-MM-DD`. */
  due_day: string;
  answer: string | null;
  answered_at: Date | null;
  answers: number;
  reports: number;
  moderation_state: 'visible' | 'hidden';
  hidden_category: string | null;
  hidden_reason: string | null;
  hidden_automatic: boolean | null;
  hidden_at: Date | null;
  version: number;
  answer_state: AnswerState;
}

export interface RatingsSummary {
  /** Evaluations that match, hidden ones included. */
  count: number;
  /** Hidden ones: their ratings are left out of the averages. */
  hidden: number;
  clarity: number | null;
  progress: number | null;
  dialogueUsefulness: number | null;
}

/** Colombia's civil date now, in SQL: what makes an unanswered evaluation overdue. */
const TODAY_IN_COLOMBIA = `(now() AT TIME ZONE 'America/Bogota')::date`;
const ANSWER_STATE = `CASE WHEN answered_at IS NOT NULL THEN 'answered'
  WHEN due_date < ${TODAY_IN_COLOMBIA} THEN 'overdue' ELSE 'pending' END`;
/** Every column, the due date as `YYYY-MM-DD` text (not a Date in the server's zone). */
const COLUMNS = `*, due_date::text AS due_day, ${ANSWER_STATE} AS answer_state`;

/** Reads of the evaluations read model, newest first. */
export class EvaluationQueries {
  constructor(private readonly dataSource: DataSource) {}

  private where(filter: EvaluationFilter, params: unknown[]): string[] {
    const clauses: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      clauses.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.targetKind) add('target_kind = ?', filter.targetKind);
    if (filter.commitmentId) add('commitment_id = ?', filter.commitmentId);
    if (filter.milestoneId) add('milestone_id = ?', filter.milestoneId);
    if (filter.dialogueSpaceId) add('dialogue_space_id = ?', filter.dialogueSpaceId);
    if (filter.territory) add('territory = ?', filter.territory);
    if (filter.moderationState) add('moderation_state = ?', filter.moderationState);
    if (filter.answerState === 'answered') clauses.push('answered_at IS NOT NULL');
    if (filter.answerState === 'overdue') {
      clauses.push(`answered_at IS NULL AND due_date < ${TODAY_IN_COLOMBIA}`);
    }
    if (filter.answerState === 'pending') {
      clauses.push(`answered_at IS NULL AND due_date >= ${TODAY_IN_COLOMBIA}`);
    }
    return clauses;
  }

  /** Up to `limit` evaluations submitted before log position `before`, newest first. */
  async page(filter: EvaluationFilter, limit: number, before?: number): Promise<EvaluationRow[]> {
    const params: unknown[] = [];
    const clauses = this.where(filter, params);
    if (before !== undefined) {
      params.push(before);
      clauses.push(`submitted_position < $${params.length}`);
    }
    params.push(limit);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM read.evaluations
        ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
        ORDER BY submitted_position DESC LIMIT $${params.length}`,
      params,
    );
  }

  async byId(id: string): Promise<EvaluationRow | undefined> {
    const rows: EvaluationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM read.evaluations WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async count(filter: EvaluationFilter): Promise<number> {
    const params: unknown[] = [];
    const clauses = this.where(filter, params);
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM read.evaluations
        ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}`,
      params,
    );
    return (row as { n: number }).n;
  }

  /** Counts and average ratings of the matching evaluations; hidden ones' ratings left out. */
  async ratings(filter: EvaluationFilter): Promise<RatingsSummary> {
    const params: unknown[] = [];
    const clauses = this.where(filter, params);
    const visible = `FILTER (WHERE moderation_state = 'visible')`;
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS count,
              (count(*) FILTER (WHERE moderation_state = 'hidden'))::int AS hidden,
              (avg(clarity) ${visible})::float AS clarity,
              (avg(progress) ${visible})::float AS progress,
              (avg(dialogue_usefulness) ${visible})::float AS dialogue_usefulness
         FROM read.evaluations ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}`,
      params,
    )) as {
      count: number;
      hidden: number;
      clarity: number | null;
      progress: number | null;
      dialogue_usefulness: number | null;
    }[];
    return {
      count: row.count,
      hidden: row.hidden,
      clarity: row.clarity,
      progress: row.progress,
      dialogueUsefulness: row.dialogue_usefulness,
    };
  }
}
