import type { RecordedEvent } from '#event-store';
import type { Projection } from '#platform';
import type { EntityManager } from 'typeorm';
import type { StoredPrioritizationEvent } from '../../domain/index.js';

export const PRIORITIZATIONS_PROJECTION = 'prioritizations';
const STREAM_PREFIX = 'prioritization-';

/**
 * The prioritizations list: each event changes its exercise's row in place (an opening
 * inserts it, a ballot counts, a closing records the result), so nothing is folded here.
 * The live count reads the exercise's stream (PrioritizationTimeline).
 */
export class PrioritizationsProjection implements Projection {
  readonly name = PRIORITIZATIONS_PROJECTION;
  readonly filter = { streamPrefix: STREAM_PREFIX };

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      if (!recorded.stream.startsWith(STREAM_PREFIX)) continue;
      const event = {
        id: recorded.id,
        type: recorded.type,
        data: recorded.data,
      } as StoredPrioritizationEvent;
      const at = [recorded.streamVersion, recorded.position];
      switch (event.type) {
        case 'PrioritizationOpened': {
          const d = event.data;
          await manager.query(
            `INSERT INTO read.prioritizations (id, title, description, agency_id, commitment_id,
               milestone_id, topics, opens_at, closes_at, method, status, ballots_cast,
               participants, opened_position, version, last_position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', 0, 0, $11, $12, $11)`,
            [
              d.prioritizationId,
              d.title,
              d.description ?? null,
              d.agencyId,
              d.commitmentId ?? null,
              d.milestoneId ?? null,
              JSON.stringify(d.topics),
              d.opensAt,
              d.closesAt,
              d.method,
              recorded.position,
              recorded.streamVersion,
            ],
          );
          break;
        }
        case 'BallotCast':
          await manager.query(
            `UPDATE read.prioritizations
                SET ballots_cast = ballots_cast + 1, participants = participants + $2,
                    version = $3, last_position = $4
              WHERE id = $1`,
            [event.data.prioritizationId, event.data.replaces === undefined ? 1 : 0, ...at],
          );
          break;
        case 'PrioritizationClosed':
          await manager.query(
            `UPDATE read.prioritizations
                SET status = 'closed', standings = $2, closed_at = $3, version = $4,
                    last_position = $5
              WHERE id = $1`,
            [
              event.data.prioritizationId,
              JSON.stringify(event.data.standings),
              recorded.metadata.occurredAt,
              ...at,
            ],
          );
          break;
      }
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE read.prioritizations');
  }
}
