import type { EventStore } from '#event-store';
import { cartagena2023History } from '../demo/cartagena-2023.js';
import type { CommitmentCommandHandler } from './commitment-command.handler.js';

/**
 * Runs the Cartagena demo's commands through the command handler, as the demo's actors and
 * at its business times, if the log is empty. Its command ids make it safe to run twice (two
 * replicas starting together record it once). Resolves with the number of commands run, or
 * 0 when the log already held events.
 */
export async function loadDemo(
  store: EventStore,
  handler: CommitmentCommandHandler,
): Promise<number> {
  if ((await store.head()) > 0) return 0;
  return recordDemo(handler);
}

/**
 * Runs the Cartagena demo's commands whatever the log holds (the caller checked that it was
 * empty at start); safe to repeat, by its command ids. Resolves with the number of commands.
 */
export async function recordDemo(handler: CommitmentCommandHandler): Promise<number> {
  for (const step of cartagena2023History) {
    await handler.handle({
      command: step.command,
      issuer: { kind: 'trusted', actor: step.actor },
      commandId: step.commandId,
      occurredAt: new Date(step.occurredAt),
    });
  }
  return cartagena2023History.length;
}
