import type { ContextDefinition } from '#platform';
import { cartagena2023History, cartagena2023PlanHistory } from '../demo/index.js';
import { ActionPlanCommandHandler } from './application/action-plan-command.handler.js';
import { importSteps, IMPORT_FORMAT, runImport } from './application/commitment-import.js';
import { CommitmentCommandHandler } from './application/commitment-command.handler.js';
import { COMMITMENT_EVENT_DESCRIPTIONS } from './application/commitment-event-descriptions.js';
import { COMMITMENT_UPCASTERS } from './application/commitment-upcasters.js';
import { CommitmentsModule } from './commitments.module.js';
import { ACTION_PLAN_READ_QUERIES } from './graphql/action-plans.resolver.js';
import { PUBLIC_READ_QUERIES } from './graphql/commitments.resolver.js';
import { actionPlansReadModel } from './read-models/action-plans/action-plans.read-model.js';
import { commitmentsReadModel } from './read-models/commitments/commitments.read-model.js';

/** The commitments context, as the apps, the test harness and the benchmarks plug it in. */
export const commitmentsContext: ContextDefinition = {
  name: 'commitments',
  module: () => CommitmentsModule.forRoot(),
  readModels: [commitmentsReadModel, actionPlansReadModel],
  upcasters: COMMITMENT_UPCASTERS,
  publicReadQueries: [...PUBLIC_READ_QUERIES, ...ACTION_PLAN_READ_QUERIES],
  // A line and a diff for each of its events, in the audit log.
  eventDescriptions: COMMITMENT_EVENT_DESCRIPTIONS,
  importer: {
    format: IMPORT_FORMAT,
    read(file) {
      const steps = importSteps(file);
      return {
        async run(store) {
          const summary = await runImport(new CommitmentCommandHandler(store), steps);
          return {
            subjects: { count: summary.commitments, noun: 'commitment' },
            recorded: summary.recorded,
            alreadyRecorded: summary.alreadyRecorded,
          };
        },
      };
    },
  },
  // The Cartagena demo's commands, as its actors and at its business times: its action plan
  // first, then its commitment. Its command ids make a second run (two replicas starting
  // together) record nothing new.
  demo: {
    name: 'the Cartagena 2023 demo',
    async load(store) {
      const plans = new ActionPlanCommandHandler(store);
      for (const step of cartagena2023PlanHistory) {
        await plans.handle({
          command: step.command,
          issuer: { kind: 'trusted', actor: step.actor },
          commandId: step.commandId,
          occurredAt: new Date(step.occurredAt),
        });
      }
      const handler = new CommitmentCommandHandler(store);
      for (const step of cartagena2023History) {
        await handler.handle({
          command: step.command,
          issuer: { kind: 'trusted', actor: step.actor },
          commandId: step.commandId,
          occurredAt: new Date(step.occurredAt),
        });
      }
      return cartagena2023PlanHistory.length + cartagena2023History.length;
    },
  },
};
