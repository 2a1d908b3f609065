import type { EventStore, RecordedEvent } from '#event-store';
import { readStreamUpTo, type Projection } from '#platform';
import type { EntityManager } from 'typeorm';
import { foldActionPlanRecorded } from '../../application/action-plan-command.handler.js';

export const ACTION_PLANS_PROJECTION = 'action-plans';

/**
 * The action plans read model: each plan touched by a batch is folded from its stream (plans
 * have few events: a registration, some revisions and weightings) up to the batch's last
 * event of it, with the domain's own `evolve`, and its row written whole.
 */
export class ActionPlansProjection implements Projection {
  readonly name = ACTION_PLANS_PROJECTION;
  readonly filter = { streamPrefix: 'action-plan-' };

  constructor(private readonly store: EventStore) {}

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const last = new Map<string, RecordedEvent>();
    for (const event of events) last.set(event.stream, event);
    const rows: Record<string, unknown>[] = [];
    for (const [stream, event] of last) {
      const state = foldActionPlanRecorded(
        await readStreamUpTo(this.store, stream, event.streamVersion),
      );
      if (state.status === 'empty') continue;
      rows.push({
        id: state.id,
        jurisdiction: state.jurisdiction,
        title: state.title,
        period_start: state.periodStart,
        period_end: state.periodEnd,
        ogp_cycle: state.ogpCycle,
        status: state.status,
        registered_at: state.registeredAt,
        commitment_weights: state.commitmentWeights,
        version: event.streamVersion,
        last_position: event.position,
      });
    }
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]).filter((c) => c !== 'id');
    await manager.query(
      `INSERT INTO read.action_plans
         SELECT * FROM jsonb_populate_recordset(NULL::read.action_plans, $1::jsonb)
       ON CONFLICT (id) DO UPDATE SET
         (${columns.join(', ')}) = ROW(${columns.map((c) => `EXCLUDED.${c}`).join(', ')})`,
      [JSON.stringify(rows)],
    );
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE read.action_plans');
  }
}
