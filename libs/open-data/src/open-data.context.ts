import type { ContextDefinition } from '#platform';
import { OpenDataModule } from './open-data.module.js';
import { statisticsReadModel } from './statistics/read-models/statistics.read-model.js';

/** The open-data context, as the apps, the test harness and the benchmarks plug it in. */
export const openDataContext: ContextDefinition = {
  name: 'open-data',
  module: () => OpenDataModule.forRoot(),
  readModels: [statisticsReadModel],
  upcasters: [],
  publicReadQueries: [],
};
