import type { RecordedEvent } from '#event-store';
import type { Projection } from '#platform';
import type { EntityManager } from 'typeorm';
import {
  ASSESSMENT_STREAM_PREFIX,
  type IndependentAssessmentRecorded,
} from '../../domain/index.js';

export const ASSESSMENTS_PROJECTION = 'independent-assessments';

/**
 * The independent assessments: each IndependentAssessmentRecorded inserts its row and marks
 * the one it supersedes. Nothing is folded: the event carries the whole assessment.
 */
export class AssessmentsProjection implements Projection {
  readonly name = ASSESSMENTS_PROJECTION;
  // No filter: it is given every event and skips the others, so that its checkpoint follows
  // the log's head (a filtered projection's checkpoint moves only past the events it matches,
  // and health would report it behind).

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      if (!recorded.stream.startsWith(ASSESSMENT_STREAM_PREFIX)) continue;
      if (recorded.type !== 'IndependentAssessmentRecorded') continue;
      const data = recorded.data as unknown as IndependentAssessmentRecorded['data'];
      const { assessmentId, commitmentId, report, ...assessment } = data;
      await manager.query(
        `INSERT INTO read.independent_assessments (assessment_id, commitment_id, report_kind,
           report_id, ordinal, assessment, event_id, position, occurred_at, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          assessmentId,
          commitmentId,
          report.kind,
          report.id,
          recorded.streamVersion,
          JSON.stringify(assessment),
          recorded.id,
          recorded.position,
          recorded.metadata.occurredAt,
          recorded.metadata.recordedAt,
        ],
      );
      if (data.supersedes !== undefined) {
        await manager.query(
          `UPDATE read.independent_assessments SET superseded_by = $2 WHERE assessment_id = $1`,
          [data.supersedes, assessmentId],
        );
      }
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE read.independent_assessments');
  }
}
