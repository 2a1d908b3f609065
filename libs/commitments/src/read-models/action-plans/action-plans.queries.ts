import type { DataSource } from 'typeorm';
import {
  commitmentRollup,
  planRollup,
  type ActionPlanStatus,
  type Rollup,
} from '../../domain/index.js';

/**
 * An action plan as the read side shows it. A plan that commitments name by `actionPlanId`
 * but that was never registered is still shown, derived from that id: its `title` is the id,
 * its status `not_registered`, and what only a registration says is absent. Registering it
 * later fills these in; its commitments are the same.
 */
export interface ActionPlanView {
  id: string;
  registered: boolean;
  title: string;
  status: ActionPlanStatus | 'not_registered';
  jurisdiction?: string;
  periodStart?: string;
  periodEnd?: string;
  ogpCycle?: string;
  registeredAt?: Date;
  /** Roll-up weights set for its commitments, by commitment id (others weigh 1). */
  commitmentWeights: Record<string, number>;
  /** The plan stream's version shown; 0 for a plan not registered. */
  version: number;
}

/** A plan's roll-up, with each of its commitments' own roll-up (the plan's inputs). */
export interface ActionPlanRollup {
  actionPlanId: string;
  progress: Rollup;
  /** Every commitment of the plan, by code, with its status and roll-up from its milestones. */
  commitments: { id: string; code: string; status: string; progress: Rollup }[];
}

interface PlanRecord {
  id: string;
  jurisdiction: string | null;
  title: string | null;
  period_start: string | null;
  period_end: string | null;
  ogp_cycle: string | null;
  status: string | null;
  registered_at: Date | null;
  commitment_weights: Record<string, number> | null;
  version: number | null;
}

/** Every plan id: the registered ones and the ones commitments name. */
const PLAN_IDS = `(SELECT id FROM read.action_plans
                   UNION SELECT action_plan_id FROM read.commitments) ids`;
const PLAN_COLUMNS = `ids.id, p.jurisdiction, p.title, p.period_start, p.period_end, p.ogp_cycle,
                      p.status, p.registered_at, p.commitment_weights, p.version`;

/**
 * Reads of action plans, each one SQL statement; registered and derived plans alike. Also
 * what other contexts use (open data): `list` and `byId` for the plans, `rollup` for the
 * roll-up of a plan and of each of its commitments, with every input and weight.
 */
export class ActionPlanQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `first` plans after the id `after`, by id; `hasNextPage` says if more follow. */
  async page(
    first: number,
    after?: string,
  ): Promise<{ plans: ActionPlanView[]; hasNextPage: boolean }> {
    const rows: PlanRecord[] = await this.dataSource.query(
      `SELECT ${PLAN_COLUMNS} FROM ${PLAN_IDS}
         LEFT JOIN read.action_plans p ON p.id = ids.id
        WHERE $1::text IS NULL OR ids.id > $1
        ORDER BY ids.id LIMIT $2`,
      [after ?? null, first + 1],
    );
    return { plans: rows.slice(0, first).map(viewOf), hasNextPage: rows.length > first };
  }

  /** Every plan, by id. */
  async list(): Promise<ActionPlanView[]> {
    const rows: PlanRecord[] = await this.dataSource.query(
      `SELECT ${PLAN_COLUMNS} FROM ${PLAN_IDS}
         LEFT JOIN read.action_plans p ON p.id = ids.id ORDER BY ids.id`,
    );
    return rows.map(viewOf);
  }

  async count(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM ${PLAN_IDS}`)) as {
      n: number;
    }[];
    return row.n;
  }

  /** The plans with these ids, registered or named by a commitment; absent ids are left out. */
  async byIds(ids: readonly string[]): Promise<Map<string, ActionPlanView>> {
    const rows: PlanRecord[] = await this.dataSource.query(
      `SELECT ${PLAN_COLUMNS} FROM ${PLAN_IDS}
         LEFT JOIN read.action_plans p ON p.id = ids.id
        WHERE ids.id = ANY($1::text[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, viewOf(row)]));
  }

  async byId(id: string): Promise<ActionPlanView | null> {
    return (await this.byIds([id])).get(id) ?? null;
  }

  /**
   * The plan's roll-up from its commitments' current milestones, in one statement (one
   * snapshot of the read model); null when no plan has this id.
   */
  async rollup(actionPlanId: string): Promise<ActionPlanRollup | null> {
    const rows: {
      plan_weights: Record<string, number> | null;
      registered: boolean;
      id: string | null;
      code: string | null;
      status: string | null;
      milestones: { id: string; status: string; progress: number; weight: number | null }[];
    }[] = await this.dataSource.query(
      `SELECT p.commitment_weights AS plan_weights, p.id IS NOT NULL AS registered,
              c.id, c.code, c.status,
              COALESCE((SELECT json_agg(json_build_object('id', m.id, 'status', m.status,
                                          'progress', m.progress, 'weight', m.weight)
                                        ORDER BY m.ordinal)
                          FROM read.milestones m WHERE m.commitment_id = c.id), '[]') AS milestones
         FROM (SELECT $1::text AS id) wanted
         LEFT JOIN read.action_plans p ON p.id = wanted.id
         LEFT JOIN read.commitments c ON c.action_plan_id = wanted.id
        ORDER BY c.code, c.id`,
      [actionPlanId],
    );
    if (rows.length === 0 || (!rows[0].registered && rows[0].id === null)) return null;
    const commitments = rows
      .filter((row) => row.id !== null)
      .map((row) => ({
        id: String(row.id),
        code: String(row.code),
        status: String(row.status),
        progress: commitmentRollup(
          row.milestones.map((m) => ({ ...m, weight: m.weight ?? undefined })),
        ),
      }));
    const progress = planRollup(
      commitments.map((c) => ({ id: c.id, status: c.status, progress: c.progress.value })),
      rows[0].plan_weights ?? {},
    );
    return { actionPlanId, progress, commitments };
  }
}

function viewOf(row: PlanRecord): ActionPlanView {
  if (row.version === null) {
    return {
      id: row.id,
      registered: false,
      title: row.id,
      status: 'not_registered',
      commitmentWeights: {},
      version: 0,
    };
  }
  return {
    id: row.id,
    registered: true,
    title: String(row.title),
    status: row.status as ActionPlanStatus,
    jurisdiction: row.jurisdiction ?? undefined,
    periodStart: row.period_start ?? undefined,
    periodEnd: row.period_end ?? undefined,
    ogpCycle: row.ogp_cycle ?? undefined,
    registeredAt: row.registered_at ?? undefined,
    commitmentWeights: row.commitment_weights ?? {},
    version: row.version,
  };
}
