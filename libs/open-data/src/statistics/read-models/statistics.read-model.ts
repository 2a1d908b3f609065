import type { ReadModel } from '#platform';
import { EvaluationStatistics1798000000100 } from './migrations/1798000000100-evaluation-statistics.js';

/**
 * The statistics' own read model: evaluations pre-aggregated by territory and days to
 * answer. PostgreSQL triggers on the evaluations read model keep it, so it has no
 * projection of its own (a rebuild of the evaluations rebuilds it).
 */
export const statisticsReadModel: ReadModel = {
  entities: [],
  migrations: [EvaluationStatistics1798000000100],
  projections: () => [],
};
