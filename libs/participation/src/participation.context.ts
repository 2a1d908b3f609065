import type { ContextDefinition } from '#platform';
import { PARTICIPATION_DEMOS } from '../demo/index.js';
import { DIALOGUE_SPACE_UPCASTERS } from './dialogue/application/dialogue-space-upcasters.js';
import { DIALOGUE_PUBLIC_READ_QUERIES } from './dialogue/graphql/dialogue-spaces.resolver.js';
import { dialogueSpacesReadModel } from './dialogue/read-models/dialogue-spaces/dialogue-spaces.read-model.js';
import { ParticipationModule } from './participation.module.js';

/** The participation context, as the apps, the test harness and the benchmarks plug it in. */
export const participationContext: ContextDefinition = {
  name: 'participation',
  module: () => ParticipationModule.forRoot(),
  readModels: [dialogueSpacesReadModel],
  upcasters: [...DIALOGUE_SPACE_UPCASTERS],
  publicReadQueries: [...DIALOGUE_PUBLIC_READ_QUERIES],
  // Each part's demo, after the commitments demo (contexts load in CONTEXTS order); stable
  // command ids make a second run record nothing new.
  demo: {
    name: 'the participation demo',
    async load(store) {
      let commands = 0;
      for (const part of PARTICIPATION_DEMOS) commands += await part.load(store);
      return commands;
    },
  },
};
