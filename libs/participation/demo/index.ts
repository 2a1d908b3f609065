// The participation context's demo data: each part's, loaded in this order through
// `participationContext.demo`, after the commitments demo. Not part of the index.
import { EvaluationCommandHandler } from '../src/evaluations/application/evaluation-command.handler.js';
import { loadDialogueDemo } from './dialogue.js';
import { evaluationsDemo } from './evaluations.js';
import type { ParticipationDemo } from './participation-demo.js';
import { prioritizationDemo } from './prioritization.js';

export type { ParticipationDemo } from './participation-demo.js';

/** Dialogue spaces first: evaluations may name them. */
export const PARTICIPATION_DEMOS: readonly ParticipationDemo[] = [
  { part: 'dialogue spaces', load: loadDialogueDemo },
  prioritizationDemo,
  {
    part: 'evaluations of milestone 6',
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
