// The open-data context's public surface: other contexts and apps import only this.
export { openDataContext } from './open-data.context.js';
export { OpenDataModule } from './open-data.module.js';
export {
  StatisticsQueries,
  type StatisticsFilter,
} from './statistics/read-models/statistics.queries.js';
export { tabulate, type StatisticsTable } from './statistics/domain/statistics.js';
export { MINIMUM_PEOPLE_PER_CELL } from './statistics/domain/suppression.js';
export * from './packages/index.js';
