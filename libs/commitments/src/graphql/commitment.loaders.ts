import type { RecordedEvent } from '#event-store';
import {
  historyOf,
  type CommitmentTimeline,
  type HistoryEntry,
} from '../application/commitment-timeline.js';
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
  /** Each commitment's events, for its history: one stream read per commitment, in parallel. */
  readonly streams: BatchLoader<string, RecordedEvent[]>;
  /** Each commitment's history with its field-level diffs, by stream version. */
  readonly histories: BatchLoader<string, Map<number, HistoryEntry>>;

  constructor(queries: CommitmentQueries, timeline: CommitmentTimeline) {
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
    this.streams = new BatchLoader((ids) => Promise.all(ids.map((id) => timeline.events(id))));
    this.histories = new BatchLoader((ids) =>
      Promise.all(
        ids.map(async (id) => {
          const entries = historyOf(await this.streams.load(id));
          return new Map(entries.map((entry) => [entry.event.streamVersion, entry]));
        }),
      ),
    );
  }
}

const perRequest = new WeakMap<object, CommitmentLoaders>();

/** The loaders of the request whose GraphQL context is `context`. */
export function loadersFor(
  context: object,
  queries: CommitmentQueries,
  timeline: CommitmentTimeline,
): CommitmentLoaders {
  let loaders = perRequest.get(context);
  if (!loaders) {
    loaders = new CommitmentLoaders(queries, timeline);
    perRequest.set(context, loaders);
  }
  return loaders;
}
