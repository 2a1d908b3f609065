import type { EventStore } from '#event-store';
import { EvaluationCommandHandler } from '../src/evaluations/application/evaluation-command.handler.js';
import { evaluationsDemo } from './evaluations.js';

/**
 * The participation context's demo parts, each recorded into a log that holds the
 * commitments demo already; each returns how many commands it ran. A part joins with one line.
 */
export const PARTICIPATION_DEMOS: readonly {
  name: string;
  load(store: EventStore): Promise<number>;
}[] = [
  {
    name: 'evaluations of milestone 6',
    async load(store) {
      // No personal-data store: the demo's evaluations carry no personal data.
      const handler = new EvaluationCommandHandler(store, undefined);
      for (const step of evaluationsDemo) {
        await handler.handle({
          command: step.command,
          issuer: { kind: 'trusted', actor: step.actor },
          commandId: step.commandId,
          occurredAt: new Date(step.occurredAt),
        });
      }
      return evaluationsDemo.length;
    },
  },
];
