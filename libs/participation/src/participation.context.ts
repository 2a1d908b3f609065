import type { ContextDefinition } from '#platform';
import { PARTICIPATION_DEMOS } from '../demo/index.js';
import { EVALUATION_UPCASTERS } from './evaluations/application/evaluation-stream.js';
import { EVALUATION_PERSONAL_DATA } from './evaluations/application/evaluation-personal-data.js';
import { EVALUATION_PUBLIC_READ_QUERIES } from './evaluations/graphql/evaluations.resolver.js';
import { evaluationsReadModel } from './evaluations/read-models/evaluations/evaluations.read-model.js';
import { ParticipationModule } from './participation.module.js';

/** The participation context, as the apps, the test harness and the benchmarks plug it in. */
export const participationContext: ContextDefinition = {
  name: 'participation',
  module: () => ParticipationModule.forRoot(),
  readModels: [evaluationsReadModel],
  upcasters: [...EVALUATION_UPCASTERS],
  publicReadQueries: [...EVALUATION_PUBLIC_READ_QUERIES],
  // Which members of which events are personal data (Ley 1581): kept beside the log.
  personalData: { ...EVALUATION_PERSONAL_DATA },
  // Each part's demo, in order, after the commitments demo (its commitment is their subject).
  demo: {
    name: 'the Cartagena 2023 participation demo',
    async load(store) {
      let commands = 0;
      for (const part of PARTICIPATION_DEMOS) commands += await part.load(store);
      return commands;
    },
  },
};
