import type { ContextDefinition } from '#platform';
import { OversightModule } from './oversight.module.js';
import { RED_FLAG_PUBLIC_READ_QUERIES } from './red-flags/graphql/red-flags.resolver.js';
import { redFlagFilesReadModel } from './red-flags/read-models/red-flag-files/red-flag-files.read-model.js';

/** The oversight context, as the apps, the test harness and the benchmarks plug it in. */
export const oversightContext: ContextDefinition = {
  name: 'oversight',
  module: () => OversightModule.forRoot(),
  readModels: [redFlagFilesReadModel],
  upcasters: [],
  publicReadQueries: [...RED_FLAG_PUBLIC_READ_QUERIES],
};
