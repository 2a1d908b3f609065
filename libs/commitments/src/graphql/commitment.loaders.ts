import type DataLoader from 'dataloader';
import { perRequest, requestLoader } from '#platform';
import type { CommitmentTimeline } from '../application/commitment-timeline.js';
import type { CommitmentQueries, ListOf } from '../read-models/commitments/commitments.queries.js';
import {
  budgetLineFromRow,
  commitmentFromState,
  evidenceFromRow,
  milestoneFromRow,
} from './commitment.mapper.js';
import type { BudgetLineModel, EvidenceModel, MilestoneModel } from './models/commitment.model.js';

/** A commitment as a list is read for it: which one, and the version the answer shows. */
export interface ShownCommitment {
  id: string;
  version: number;
}

type Lists = NonNullable<ReturnType<typeof commitmentFromState>['folded']>;

/**
 * The nested lists of the commitments a request shows: one query per list per request,
 * whatever the number of commitments on the page. Every list agrees with the version shown:
 * the statement that reads a list reads its commitment's version too, and when a batch of the
 * projection committed between the commitment's read and the list's (the read model moved
 * on), the lists are folded from the log at the version shown instead.
 */
export class CommitmentLoaders {
  private readonly milestoneRows: DataLoader<string, ListOf<MilestoneModel> | undefined>;
  /** Every piece of evidence of a commitment, by milestone and order. */
  private readonly evidenceRows: DataLoader<string, ListOf<EvidenceModel> | undefined>;
  private readonly budgetRows: DataLoader<string, ListOf<BudgetLineModel> | undefined>;
  private readonly folds = new Map<string, Promise<Lists>>();

  constructor(
    queries: CommitmentQueries,
    private readonly timeline: CommitmentTimeline,
  ) {
    this.milestoneRows = listLoader((ids) => queries.milestoneLists(ids), milestoneFromRow);
    this.evidenceRows = listLoader((ids) => queries.evidenceLists(ids), evidenceFromRow);
    this.budgetRows = listLoader((ids) => queries.budgetLists(ids), budgetLineFromRow);
  }

  /** The commitment's milestones at the version shown, in the order they were added. */
  async milestones(commitment: ShownCommitment): Promise<MilestoneModel[]> {
    const list = await this.milestoneRows.load(commitment.id);
    if (list?.version !== commitment.version) return (await this.fold(commitment)).milestones;
    return list.rows.map((milestone) => ({ ...milestone, commitmentVersion: list.version }));
  }

  /** Every milestone's evidence at the version shown, by milestone id, oldest first. */
  async evidence(commitment: ShownCommitment): Promise<EvidenceModel[]> {
    const list = await this.evidenceRows.load(commitment.id);
    if (list?.version === commitment.version) return list.rows;
    const { milestones } = await this.fold(commitment);
    // In the read model's order: by milestone id, then as reported.
    return [...milestones]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .flatMap((milestone) => milestone.evidenceList ?? []);
  }

  /** The commitment's budget lines at the version shown. */
  async budget(commitment: ShownCommitment): Promise<BudgetLineModel[]> {
    const list = await this.budgetRows.load(commitment.id);
    if (list?.version !== commitment.version) return (await this.fold(commitment)).budget;
    return list.rows;
  }

  /** The lists folded from the commitment's stream up to the version shown, once per request. */
  private fold(commitment: ShownCommitment): Promise<Lists> {
    const key = `${commitment.id}@${commitment.version}`;
    let folded = this.folds.get(key);
    if (!folded) {
      folded = this.timeline
        .snapshot(commitment.id, { atVersion: commitment.version })
        .then(({ state, version }) => {
          const lists = state.status === 'empty' ? undefined : commitmentFromState(state, version);
          return lists?.folded ?? { milestones: [], budget: [] };
        });
      this.folds.set(key, folded);
    }
    return folded;
  }
}

/** A loader of one list per commitment id, mapped to its public shape. */
function listLoader<Row, Model>(
  read: (ids: readonly string[]) => Promise<Map<string, ListOf<Row>>>,
  map: (row: Row) => Model,
): DataLoader<string, ListOf<Model> | undefined> {
  return requestLoader(async (ids) => {
    const lists = await read(ids);
    return ids.map((id) => {
      const list = lists.get(id);
      return list && { version: list.version, rows: list.rows.map(map) };
    });
  });
}

const loadersOfRequest = perRequest<CommitmentLoaders>();

/** The loaders of the request whose GraphQL context is `context`. */
export function loadersFor(
  context: object,
  queries: CommitmentQueries,
  timeline: CommitmentTimeline,
): CommitmentLoaders {
  return loadersOfRequest(context, () => new CommitmentLoaders(queries, timeline));
}
