import type { CommitmentQueries } from '../read-models/commitments/commitments.queries.js';
import { BatchLoader, groupBy } from './batch-loader.js';
import { budgetLineFromRow, evidenceFromRow, milestoneFromRow } from './commitment.mapper.js';
import type { BudgetLineModel, EvidenceModel, MilestoneModel } from './models/commitment.model.js';

/** One query per nested list per request, whatever the number of commitments on the page. */
export class CommitmentLoaders {
  readonly milestones: BatchLoader<string, MilestoneModel[]>;
  /** Every piece of evidence of a commitment, by milestone and order. */
  readonly evidence: BatchLoader<string, EvidenceModel[]>;
  readonly budget: BatchLoader<string, BudgetLineModel[]>;

  constructor(queries: CommitmentQueries) {
    this.milestones = new BatchLoader(async (ids) =>
      groupBy(ids, await queries.milestonesOf(ids), (row) => row.commitmentId).map((rows) =>
        rows.map(milestoneFromRow),
      ),
    );
    this.evidence = new BatchLoader(async (ids) =>
      groupBy(ids, await queries.evidenceOf(ids), (row) => row.commitmentId).map((rows) =>
        rows.map(evidenceFromRow),
      ),
    );
    this.budget = new BatchLoader(async (ids) =>
      groupBy(ids, await queries.budgetOf(ids), (row) => row.commitmentId).map((rows) =>
        rows.map(budgetLineFromRow),
      ),
    );
  }
}

const perRequest = new WeakMap<object, CommitmentLoaders>();

/** The loaders of the request whose GraphQL context is `context`. */
export function loadersFor(context: object, queries: CommitmentQueries): CommitmentLoaders {
  let loaders = perRequest.get(context);
  if (!loaders) {
    loaders = new CommitmentLoaders(queries);
    perRequest.set(context, loaders);
  }
  return loaders;
}
