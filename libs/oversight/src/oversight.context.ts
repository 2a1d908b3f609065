import type { ContextDefinition } from '#platform';
import { OversightModule } from './oversight.module.js';

/** The oversight context, as the apps, the test harness and the benchmarks plug it in. */
export const oversightContext: ContextDefinition = {
  name: 'oversight',
  module: () => OversightModule.forRoot(),
  readModels: [],
  upcasters: [],
  publicReadQueries: [],
};
