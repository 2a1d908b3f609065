import type { EventStore } from '#event-store';
import { StreamTimeline, type HistoryPage } from '#platform';
import type { ActionPlanState } from '../domain/index.js';
import { ACTION_PLAN_STREAM } from './action-plan-command.handler.js';

/** An action plan's history, read from its stream (the platform's timeline). */
export class ActionPlanTimeline {
  private readonly streams: StreamTimeline<ActionPlanState>;

  constructor(store: EventStore) {
    this.streams = new StreamTimeline(store, ACTION_PLAN_STREAM);
  }

  /** A page of the plan's history, newest first, up to `version` (the version shown). */
  historyPage(page: {
    actionPlanId: string;
    first: number;
    before?: number;
    version?: number;
  }): Promise<HistoryPage<ActionPlanState>> {
    const { actionPlanId, ...rest } = page;
    return this.streams.historyPage({ streamId: actionPlanId, ...rest });
  }
}
