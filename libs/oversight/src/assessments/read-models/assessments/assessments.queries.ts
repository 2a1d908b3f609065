import type { DataSource } from 'typeorm';
import type { AssessmentRatings, ReportKind } from '../../domain/index.js';

/** One assessment as the read model holds it. */
export interface AssessmentRow {
  assessmentId: string;
  commitmentId: string;
  report: { kind: ReportKind; id: string };
  /** 1 for the report's first assessment, and so on. */
  ordinal: number;
  assessment: AssessmentRatings & { supersedes?: string; reason?: string };
  /** The assessment that replaced it; null while it is current. */
  supersededBy: string | null;
  eventId: string;
  position: number;
  occurredAt: Date;
  recordedAt: Date;
}

interface RawRow {
  assessment_id: string;
  commitment_id: string;
  report_kind: ReportKind;
  report_id: string;
  ordinal: number;
  assessment: AssessmentRow['assessment'];
  superseded_by: string | null;
  event_id: string;
  position: string;
  occurred_at: Date;
  recorded_at: Date;
}

/** Reads of the independent assessments read model, for the resolvers. */
export class AssessmentQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A commitment's assessments, newest first; only those in force (not superseded) when
   * `current` is set.
   */
  async ofCommitment(commitmentId: string, options: { current?: boolean } = {}) {
    const [rows] = await this.ofCommitments([commitmentId], options);
    return rows;
  }

  /** `ofCommitment` for several commitments in one query: one list per id, in their order. */
  async ofCommitments(
    commitmentIds: readonly string[],
    options: { current?: boolean } = {},
  ): Promise<AssessmentRow[][]> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT * FROM read.independent_assessments
        WHERE commitment_id = ANY($1::text[]) ${options.current ? 'AND superseded_by IS NULL' : ''}
        ORDER BY position DESC`,
      [commitmentIds],
    );
    const byCommitment = new Map<string, AssessmentRow[]>(commitmentIds.map((id) => [id, []]));
    for (const row of rows) byCommitment.get(row.commitment_id)?.push(rowOf(row));
    return commitmentIds.map((id) => byCommitment.get(id) ?? []);
  }
}

function rowOf(row: RawRow): AssessmentRow {
  return {
    assessmentId: row.assessment_id,
    commitmentId: row.commitment_id,
    report: { kind: row.report_kind, id: row.report_id },
    ordinal: row.ordinal,
    assessment: row.assessment,
    supersededBy: row.superseded_by,
    eventId: row.event_id,
    position: Number(row.position),
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}
