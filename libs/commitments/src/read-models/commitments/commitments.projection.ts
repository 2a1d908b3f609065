import type { EventStore, RecordedEvent } from '#event-store';
import { readStreamUpTo, type Projection } from '#platform';
import type { EntityManager } from 'typeorm';
import {
  evolve,
  initialState,
  type CommitmentFields,
  type CommitmentState,
  type RegisteredCommitment,
} from '../../domain/index.js';
import { foldRecorded, toDomainEvent } from '../../application/commitment-stream.js';
import {
  budgetLineRow,
  commitmentRow,
  evidenceRow,
  LIFECYCLE_COLUMNS,
  lifecycleRow,
  milestoneRow,
  type Row,
} from './commitment-rows.js';

export const COMMITMENTS_PROJECTION = 'commitments';

/** A folded commitment at a stream version, without its `history` (kept small in memory). */
interface Cached {
  state: CommitmentState;
  version: number;
  /** The global position of the stream's version 1, its registration. */
  registeredPosition: number;
}

interface Touched {
  before: CommitmentState;
  after: CommitmentState;
  version: number;
  lastPosition: number;
  lastChangedAt: string;
  registeredPosition: number;
  /** A correction refolded the past: every row of the commitment is written again. */
  rewrite: boolean;
}

const TABLES = {
  commitments: { name: 'read.commitments', key: ['id'] },
  milestones: { name: 'read.milestones', key: ['commitment_id', 'id'] },
  evidence: { name: 'read.evidence', key: ['commitment_id', 'milestone_id', 'ordinal'] },
  budget: { name: 'read.budget_lines', key: ['commitment_id', 'id'] },
} as const;

/**
 * The commitments read model. A batch is folded in memory with the domain's own `evolve`
 * (so the read model can never disagree with the deciders), starting from each touched
 * commitment's state before the batch: from a cache of recent states, or folded from its
 * stream. Then each table gets one statement for the whole batch, and only the rows that
 * changed are written: evolve returns the same object for a milestone or budget line it did
 * not touch, and evidence only ever grows.
 */
export class CommitmentsProjection implements Projection {
  readonly name = COMMITMENTS_PROJECTION;
  readonly filter = { streamPrefix: 'commitment-' };
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly store: EventStore,
    private readonly cacheSize = 20_000,
  ) {}

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const touched = await this.fold(events);
    const rows = {
      commitments: [] as Row[],
      lifecycles: [] as Row[],
      milestones: [] as Row[],
      evidence: [] as Row[],
    };
    const budget: Row[] = [];
    const rewritten: string[] = [];
    for (const change of touched.values()) {
      const { before, after } = change;
      if (after.status === 'empty') continue;
      const old = change.rewrite || before.status === 'empty' ? undefined : before;
      // Most changes leave the template as it was: then only the lifecycle columns are
      // written, and PostgreSQL keeps the long texts (and their index entries) untouched.
      if (old && sameTemplate(old, after)) {
        rows.lifecycles.push(lifecycleRow(after, change));
      } else {
        rows.commitments.push(commitmentRow(after, change));
      }
      if (change.rewrite) rewritten.push(after.id);
      this.changedChildren(old, after, rows.milestones, rows.evidence, budget);
    }
    if (rewritten.length > 0) {
      for (const table of ['read.milestones', 'read.evidence', 'read.budget_lines']) {
        await manager.query(`DELETE FROM ${table} WHERE commitment_id = ANY($1::text[])`, [
          rewritten,
        ]);
      }
    }
    await upsert(manager, TABLES.commitments, rows.commitments);
    await updateLifecycles(manager, rows.lifecycles);
    await upsert(manager, TABLES.milestones, rows.milestones);
    await upsert(manager, TABLES.evidence, rows.evidence);
    await upsert(manager, TABLES.budget, budget);
    for (const [stream, { after, version, registeredPosition }] of touched) {
      this.remember(stream, { state: after, version, registeredPosition });
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query(
      'TRUNCATE read.commitments, read.milestones, read.evidence, read.budget_lines',
    );
    this.cache.clear();
  }

  discard(): void {
    this.cache.clear();
  }

  /** Each touched stream's state before and after the batch. */
  private async fold(events: readonly RecordedEvent[]): Promise<Map<string, Touched>> {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const list = byStream.get(event.stream);
      if (list) list.push(event);
      else byStream.set(event.stream, [event]);
    }
    const priors = await Promise.all(
      [...byStream].map(([stream, list]) => this.stateBefore(stream, list[0])),
    );
    const touched = new Map<string, Touched>();
    let i = 0;
    for (const [stream, list] of byStream) {
      const { state: before, registeredPosition } = priors[i++];
      let state = before;
      let rewrite = false;
      for (const event of list) {
        if (event.type === 'EventCorrected') {
          // A correction refolds the history it amends, so it needs the whole history.
          const full = foldRecorded(
            await readStreamUpTo(this.store, stream, event.streamVersion - 1),
          );
          state = evolve(full, toDomainEvent(event));
          rewrite = true;
        } else {
          state = evolve(state, toDomainEvent(event));
        }
      }
      state = light(state);
      const last = list[list.length - 1];
      touched.set(stream, {
        before,
        after: state,
        version: last.streamVersion,
        lastPosition: last.position,
        lastChangedAt: last.metadata.occurredAt,
        registeredPosition,
        rewrite,
      });
    }
    return touched;
  }

  /** The stream's state before `first`, the batch's first event of it. */
  private async stateBefore(
    stream: string,
    first: RecordedEvent,
  ): Promise<{ state: CommitmentState; registeredPosition: number }> {
    const version = first.streamVersion;
    if (version === 1) return { state: initialState, registeredPosition: first.position };
    const cached = this.cache.get(stream);
    if (cached && cached.version === version - 1) return cached;
    const recorded = await readStreamUpTo(this.store, stream, version - 1);
    return { state: light(foldRecorded(recorded)), registeredPosition: recorded[0].position };
  }

  private changedChildren(
    before: RegisteredCommitment | undefined,
    after: RegisteredCommitment,
    milestones: Row[],
    evidence: Row[],
    budget: Row[],
  ): void {
    after.milestones.forEach((milestone, ordinal) => {
      const old = before?.milestones.find((m) => m.id === milestone.id);
      if (old === milestone) return;
      milestones.push(milestoneRow(after.id, milestone, ordinal));
      const known = old?.evidence.length ?? 0;
      milestone.evidence.slice(known).forEach((record, k) => {
        evidence.push(evidenceRow(after.id, milestone.id, record, known + k));
      });
    });
    after.budget.forEach((line, ordinal) => {
      const old = before?.budget.find((l) => l.id === line.id);
      if (old !== line) budget.push(budgetLineRow(after.id, line, ordinal));
    });
  }

  private remember(stream: string, entry: Cached): void {
    this.cache.delete(stream);
    this.cache.set(stream, entry);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

// A record, so that a template field added to the domain must be listed here to compile.
const TEMPLATE: Record<keyof CommitmentFields, true> = {
  code: true,
  title: true,
  actionPlanId: true,
  startDate: true,
  endDate: true,
  leadAgency: true,
  stakeholders: true,
  problem: true,
  statusQuo: true,
  action: true,
  contribution: true,
  longTermGoal: true,
  policyAreas: true,
  ogpValues: true,
  resources: true,
  territories: true,
  inclusionGroups: true,
};
const TEMPLATE_FIELDS = Object.keys(TEMPLATE) as (keyof CommitmentFields)[];

/** evolve keeps the very same value for every field an event does not change. */
function sameTemplate(before: RegisteredCommitment, after: RegisteredCommitment): boolean {
  return TEMPLATE_FIELDS.every((field) => before[field] === after[field]);
}

/** One UPDATE of the lifecycle columns for every commitment whose template did not change. */
async function updateLifecycles(manager: EntityManager, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `UPDATE read.commitments AS c SET
       (${LIFECYCLE_COLUMNS.join(', ')}) = ROW(${LIFECYCLE_COLUMNS.map((col) => `r.${col}`).join(', ')})
     FROM jsonb_populate_recordset(NULL::read.commitments, $1::jsonb) AS r
     WHERE c.id = r.id`,
    [JSON.stringify(rows)],
  );
}

function light(state: CommitmentState): CommitmentState {
  return state.status === 'empty' ? state : { ...state, history: [] };
}

/** One INSERT ... ON CONFLICT DO UPDATE for all of a table's rows in the batch. */
async function upsert(
  manager: EntityManager,
  table: { name: string; key: readonly string[] },
  rows: Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).filter((column) => !table.key.includes(column));
  await manager.query(
    `INSERT INTO ${table.name}
       SELECT * FROM jsonb_populate_recordset(NULL::${table.name}, $1::jsonb)
     ON CONFLICT (${table.key.join(', ')}) DO UPDATE SET
       (${columns.join(', ')}) = ROW(${columns.map((c) => `EXCLUDED.${c}`).join(', ')})`,
    [JSON.stringify(rows)],
  );
}
