import type { RecordedEvent } from '#event-store';
import type { Projection } from '#platform';
import type { EntityManager } from 'typeorm';
import type { StoredEvaluationEvent } from '../../domain/index.js';
import { toDomainEvaluationEvent } from '../../application/evaluation-stream.js';

export const EVALUATIONS_PROJECTION = 'evaluations';
const EVALUATION_STREAM_PREFIX = 'evaluation-';

/**
 * The evaluations read model: one row per evaluation, written from its events in order. A
 * batch's submissions go in with one statement; each answer, report, hide and restore updates
 * its row (they are rare beside submissions). Rows are never deleted: a hidden evaluation
 * keeps its row, marked hidden.
 */
export class EvaluationsProjection implements Projection {
  readonly name = EVALUATIONS_PROJECTION;
  readonly filter = { streamPrefix: EVALUATION_STREAM_PREFIX };

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    let submissions: Record<string, unknown>[] = [];
    const flush = async () => {
      if (submissions.length === 0) return;
      await manager.query(
        `INSERT INTO read.evaluations
           SELECT * FROM jsonb_populate_recordset(NULL::read.evaluations, $1::jsonb)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(submissions)],
      );
      submissions = [];
    };
    for (const recorded of events) {
      if (!recorded.stream.startsWith(EVALUATION_STREAM_PREFIX)) continue;
      const event = toDomainEvaluationEvent(recorded);
      const at = { version: recorded.streamVersion, last_position: recorded.position };
      if (event.type === 'EvaluationSubmitted') {
        submissions.push(submissionRow(event, recorded));
        continue;
      }
      await flush();
      await this.update(event, recorded, manager, at);
    }
    await flush();
  }

  private async update(
    event: Exclude<StoredEvaluationEvent, { type: 'EvaluationSubmitted' }>,
    recorded: RecordedEvent,
    manager: EntityManager,
    at: { version: number; last_position: number },
  ): Promise<void> {
    const set = (columns: string, values: unknown[]) =>
      manager.query(
        `UPDATE read.evaluations SET ${columns}, version = $2, last_position = $3 WHERE id = $1`,
        [event.data.evaluationId, at.version, at.last_position, ...values],
      );
    switch (event.type) {
      case 'EvaluationAnswered':
        return void (await set(
          'answer = $4, answered_at = $5, answered_by = $6, answers = answers + 1',
          [event.data.answer, event.data.answeredAt, recorded.metadata.actor?.agency ?? null],
        ));
      case 'EvaluationReported':
        return void (await set('reports = reports + 1', []));
      case 'EvaluationHidden':
        return void (await set(
          `moderation_state = 'hidden', hidden_category = $4, hidden_reason = $5,
           hidden_automatic = $6, hidden_at = $7`,
          [event.data.category, event.data.reason, event.data.automatic, event.data.hiddenAt],
        ));
      case 'EvaluationRestored':
        return void (await set(
          `moderation_state = 'visible', hidden_category = NULL, hidden_reason = NULL,
           hidden_automatic = NULL, hidden_at = NULL`,
          [],
        ));
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE read.evaluations');
  }
}

function submissionRow(
  event: Extract<StoredEvaluationEvent, { type: 'EvaluationSubmitted' }>,
  recorded: RecordedEvent,
): Record<string, unknown> {
  const { data } = event;
  const { target } = data;
  return {
    id: data.evaluationId,
    target_kind: target.kind,
    commitment_id: target.kind === 'dialogue_space' ? null : target.commitmentId,
    milestone_id: target.kind === 'milestone' ? target.milestoneId : null,
    dialogue_space_id: target.kind === 'dialogue_space' ? target.dialogueSpaceId : null,
    agency_id: data.agencyId,
    territory: data.territory,
    clarity: data.ratings.clarity ?? null,
    progress: data.ratings.progress ?? null,
    dialogue_usefulness: data.ratings.dialogue_usefulness ?? null,
    comment: data.comment ?? null,
    contact: data.contact ?? null,
    groups: data.groups ?? null,
    submitted_by: recorded.metadata.actor?.subject ?? null,
    submitted_at: data.submittedAt,
    submitted_position: recorded.position,
    due_date: data.dueDate,
    answers: 0,
    reports: 0,
    moderation_state: 'visible',
    version: recorded.streamVersion,
    last_position: recorded.position,
  };
}
