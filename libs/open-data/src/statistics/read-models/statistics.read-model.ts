import type { ReadModel } from '#platform';
import { EvaluationStatistics1798000000100 } from './migrations/1798000000100-evaluation-statistics.js';
import { CommitmentAndSpaceStatistics1798000000200 } from './migrations/1798000000200-commitment-and-space-statistics.js';
import { EvaluationStatisticsEmptiedKeys1798000000300 } from './migrations/1798000000300-evaluation-statistics-emptied-keys.js';

/**
 * The statistics' own read model: evaluations, commitments, milestones and dialogue spaces
 * counted by what the statistics group and filter them by. PostgreSQL triggers on the tables
 * they count keep them, so it has no projection of its own (a rebuild of those tables
 * rebuilds it).
 */
export const statisticsReadModel: ReadModel = {
  entities: [],
  migrations: [
    EvaluationStatistics1798000000100,
    CommitmentAndSpaceStatistics1798000000200,
    EvaluationStatisticsEmptiedKeys1798000000300,
  ],
  projections: () => [],
};
