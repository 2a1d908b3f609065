import type { ContextDefinition } from '#platform';
import { ParticipationModule } from './participation.module.js';

/** The participation context, as the apps, the test harness and the benchmarks plug it in. */
export const participationContext: ContextDefinition = {
  name: 'participation',
  module: () => ParticipationModule.forRoot(),
  readModels: [],
  upcasters: [],
  publicReadQueries: [],
};
