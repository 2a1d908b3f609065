import type { EventStore, RecordedEvent } from '#event-store';
import { foldRecorded, readStreamUpTo, type Projection } from '#platform';
import type { EntityManager } from 'typeorm';
import { DIALOGUE_SPACE_STREAM } from '../../application/dialogue-space-stream.js';
import { dialogueSpaceStream, type RecordedDialogueSpace } from '../../domain/index.js';

export const DIALOGUE_SPACES_PROJECTION = 'dialogue-spaces';

const PREFIX = 'dialogue-space-';

/**
 * The dialogue spaces read model. Each space a batch touches is folded with the domain's own
 * `evolve` from its stream up to the batch's last event of it (streams are short: a space,
 * its attendance and a few actions), and written whole: its row, and its actions' rows.
 * Events of other streams are skipped.
 */
export class DialogueSpacesProjection implements Projection {
  readonly name = DIALOGUE_SPACES_PROJECTION;
  readonly filter = { streamPrefix: PREFIX };

  constructor(private readonly store: EventStore) {}

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const touched = new Map<string, { version: number; position: number }>();
    for (const event of events) {
      if (!event.stream.startsWith(PREFIX)) continue;
      touched.set(event.stream.slice(PREFIX.length), {
        version: event.streamVersion,
        position: event.position,
      });
    }
    for (const [id, { version, position }] of touched) {
      const recorded = await readStreamUpTo(this.store, dialogueSpaceStream(id), version);
      const state = foldRecorded(DIALOGUE_SPACE_STREAM, recorded);
      if (state.status === 'empty') continue;
      await this.write(manager, state, version, position);
    }
  }

  private async write(
    manager: EntityManager,
    space: RecordedDialogueSpace,
    version: number,
    position: number,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO read.dialogue_spaces (id, kind, status, starts_at, territory_id, agency_id,
         commitment_ids, space, version, last_position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET kind = $2, status = $3, starts_at = $4, territory_id = $5,
         agency_id = $6, commitment_ids = $7, space = $8, version = $9, last_position = $10`,
      [
        space.dialogueSpaceId,
        space.kind,
        space.status,
        space.startsAt,
        space.territoryId ?? null,
        space.agencyId,
        space.commitmentIds,
        JSON.stringify(space),
        version,
        position,
      ],
    );
    for (const [ordinal, action] of space.actions.entries()) {
      await manager.query(
        `INSERT INTO read.improvement_actions (dialogue_space_id, id, ordinal, commitment_id,
           status, due_date, action)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (dialogue_space_id, id) DO UPDATE SET ordinal = $3, commitment_id = $4,
           status = $5, due_date = $6, action = $7`,
        [
          space.dialogueSpaceId,
          action.actionId,
          ordinal,
          action.commitmentId,
          action.status,
          action.dueDate,
          JSON.stringify(action),
        ],
      );
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE read.dialogue_spaces, read.improvement_actions');
  }
}
