import type { EventStore } from '#event-store';
import {
  CommandHandler,
  type CommandHandlerOptions,
  type CommandRequest as StreamCommandRequest,
} from '#platform';
import type {
  PrioritizationCommand,
  PrioritizationEvent,
  PrioritizationState,
  StoredPrioritizationEvent,
} from '../domain/index.js';
import { PRIORITIZATION_STREAM } from './prioritization-stream.js';

export type PrioritizationCommandRequest = StreamCommandRequest<PrioritizationCommand>;

/**
 * Runs prioritization commands with the platform's handler (read, fold, decide, append at
 * the version read, retry on a concurrent ballot, idempotent by command id). The exercise's
 * agency is the one its stewards must hold to open or close it.
 */
export class PrioritizationCommandHandler extends CommandHandler<
  PrioritizationCommand,
  PrioritizationEvent,
  PrioritizationState,
  StoredPrioritizationEvent
> {
  constructor(store: EventStore, options: CommandHandlerOptions = {}) {
    super(
      store,
      {
        ...PRIORITIZATION_STREAM,
        streamIdOf: (command) => String(command.data.prioritizationId),
        agencyOf: (state) => (state.status === 'none' ? undefined : state.exercise.agencyId),
        agencyOfNew: (command) =>
          command.type === 'OpenPrioritization' && typeof command.data.agencyId === 'string'
            ? command.data.agencyId
            : undefined,
      },
      options,
    );
  }
}
