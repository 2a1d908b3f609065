import type { EventStore, RecordedEvent } from '#event-store';
import {
  CommandHandler,
  foldRecorded as foldStream,
  type CommandHandlerOptions,
  type CommandRequest as StreamCommandRequest,
  type StreamType,
} from '#platform';
import {
  ACTION_PLAN_SCHEMA_VERSIONS,
  actionPlanDecider,
  actionPlanStream,
  type ActionPlanCommand,
  type ActionPlanEvent,
  type ActionPlanState,
  type StoredActionPlanEvent,
} from '../domain/index.js';

export type ActionPlanCommandRequest = StreamCommandRequest<ActionPlanCommand>;

/** The action plan's stream type: its streams, decider and event schema versions. */
export const ACTION_PLAN_STREAM: StreamType<
  ActionPlanCommand,
  ActionPlanEvent,
  ActionPlanState,
  StoredActionPlanEvent
> = {
  name: 'action_plan',
  streamOf: actionPlanStream,
  decider: actionPlanDecider,
  schemaVersions: ACTION_PLAN_SCHEMA_VERSIONS,
  upcasters: 'COMMITMENT_UPCASTERS',
};

/** Folds recorded events of an action plan's stream. */
export function foldActionPlanRecorded(events: readonly RecordedEvent[]): ActionPlanState {
  return foldStream(ACTION_PLAN_STREAM, events);
}

/**
 * Runs action-plan commands with the platform's generic handler. No agency holds a plan: it
 * spans the agencies of its commitments, so only administrators write it (the resolver's
 * `@Allow`), and a trusted issuer (the demo loader).
 */
export class ActionPlanCommandHandler extends CommandHandler<
  ActionPlanCommand,
  ActionPlanEvent,
  ActionPlanState,
  StoredActionPlanEvent
> {
  constructor(store: EventStore, options: CommandHandlerOptions = {}) {
    super(
      store,
      {
        ...ACTION_PLAN_STREAM,
        streamIdOf: (command) => String(command.data.actionPlanId),
        agencyOf: () => undefined,
        agencyOfNew: () => undefined,
      },
      options,
    );
  }
}
