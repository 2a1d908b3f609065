import type { ContextDefinition } from '#platform';
import { PARTICIPATION_DEMOS } from '../demo/index.js';
import { DIALOGUE_SPACE_UPCASTERS } from './dialogue/application/dialogue-space-upcasters.js';
import { DIALOGUE_PUBLIC_READ_QUERIES } from './dialogue/graphql/dialogue-spaces.resolver.js';
import { dialogueSpacesReadModel } from './dialogue/read-models/dialogue-spaces/dialogue-spaces.read-model.js';
import { EVALUATION_UPCASTERS } from './evaluations/application/evaluation-stream.js';
import { EVALUATION_PERSONAL_DATA } from './evaluations/application/evaluation-personal-data.js';
import { EVALUATION_PUBLIC_READ_QUERIES } from './evaluations/graphql/evaluations.resolver.js';
import { evaluationsReadModel } from './evaluations/read-models/evaluations/evaluations.read-model.js';
import { PARTICIPATION_EVENT_DESCRIPTIONS } from './participation-event-descriptions.js';
import { ParticipationModule } from './participation.module.js';
import { PRIORITIZATION_UPCASTERS } from './prioritization/application/prioritization-upcasters.js';
import { PRIORITIZATION_READ_QUERIES } from './prioritization/graphql/prioritizations.resolver.js';
import { prioritizationsReadModel } from './prioritization/read-models/prioritizations/prioritizations.read-model.js';

/** The participation context, as the apps, the test harness and the benchmarks plug it in. */
export const participationContext: ContextDefinition = {
  name: 'participation',
  module: () => ParticipationModule.forRoot(),
  readModels: [dialogueSpacesReadModel, prioritizationsReadModel, evaluationsReadModel],
  upcasters: [...DIALOGUE_SPACE_UPCASTERS, ...PRIORITIZATION_UPCASTERS, ...EVALUATION_UPCASTERS],
  publicReadQueries: [
    ...DIALOGUE_PUBLIC_READ_QUERIES,
    ...PRIORITIZATION_READ_QUERIES,
    ...EVALUATION_PUBLIC_READ_QUERIES,
  ],
  // Which members of which events are personal data (Ley 1581): kept beside the log.
  personalData: { ...EVALUATION_PERSONAL_DATA },
  // A line and a diff for each of its events, in the audit log.
  eventDescriptions: PARTICIPATION_EVENT_DESCRIPTIONS,
  // Each part's demo, after the commitments demo it refers to (contexts load in CONTEXTS
  // order); stable command ids make a second run record nothing new.
  demo: {
    name: 'the participation demo',
    async load(store) {
      let commands = 0;
      for (const demo of PARTICIPATION_DEMOS) commands += await demo.load(store);
      return commands;
    },
  },
};
