import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { BudgetLineRow } from './budget-line.entity.js';
import { searchable } from './commitment-rows.js';
import { CommitmentRow } from './commitment.entity.js';
import { EvidenceRow } from './evidence.entity.js';
import { MilestoneRow } from './milestone.entity.js';
import { RawRows } from './raw-rows.js';

/** What the commitments list can be filtered by; every given part must match. */
export interface CommitmentFilter {
  actionPlanId?: string;
  /** Any of these statuses. */
  status?: string[];
  /** The lead agency's name, in any letter case. */
  leadAgency?: string;
  /** The lead agency's id (ids are lower case; the filter is too). */
  leadAgencyId?: string;
  policyArea?: string;
  ogpValue?: string;
  /** A localidad, comuna/UCG or corregimiento. */
  territory?: string;
  /** Words in the code, title, agency, stakeholders, narrative or policy areas (accents and case ignored). */
  text?: string;
}

/**
 * One commitment's rows of a list (milestones, evidence, budget lines), with the version of
 * its commitment row read in the same statement: the rows are the ones of that version.
 */
export interface ListOf<T> {
  version: number;
  rows: T[];
}

/** Where a page starts: after this (code, id) in the list's order. */
export interface ListPosition {
  code: string;
  id: string;
}

/**
 * Reads of the commitments read model: each method is one SQL statement. The list builds
 * its filter with TypeORM's query builder; reads by id are plain SQL (see RawRows).
 */
export class CommitmentQueries {
  private readonly commitments: RawRows<CommitmentRow>;
  private readonly milestones: RawRows<MilestoneRow>;
  private readonly evidence: RawRows<EvidenceRow>;
  private readonly budget: RawRows<BudgetLineRow>;

  constructor(private readonly dataSource: DataSource) {
    this.commitments = new RawRows(dataSource, CommitmentRow, 'c');
    this.milestones = new RawRows(dataSource, MilestoneRow, 'm');
    this.evidence = new RawRows(dataSource, EvidenceRow, 'e');
    this.budget = new RawRows(dataSource, BudgetLineRow, 'b');
  }

  /** Up to `first` commitments after `after`, ordered by code; `hasNextPage` says if more follow. */
  async page(
    filter: CommitmentFilter,
    first: number,
    after?: ListPosition,
  ): Promise<{ rows: CommitmentRow[]; hasNextPage: boolean }> {
    const query = this.filtered(filter);
    if (after) query.andWhere('(c.code, c.id) > (:code, :id)', after);
    const rows = await query
      .orderBy('c.code', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(first + 1)
      .getMany();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  count(filter: CommitmentFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  byId(id: string): Promise<CommitmentRow | null> {
    const { select, table } = this.commitments;
    return this.one(this.commitments, `SELECT ${select} FROM ${table} c WHERE c.id = $1`, [id]);
  }

  /**
   * The commitment with this code, in any letter case. Codes are claimed uniquely in that
   * sense (commitment-codes.ts); commitments registered before claims existed may share one,
   * and then the one the log recorded first is found (by record order, not by `registeredAt`,
   * which a caller may backdate).
   */
  byCode(code: string): Promise<CommitmentRow | null> {
    const { select, table } = this.commitments;
    return this.one(
      this.commitments,
      `SELECT ${select} FROM ${table} c
        WHERE lower(c.code) = lower($1) ORDER BY c.registered_position LIMIT 1`,
      [code],
    );
  }

  /** Each commitment's milestones, in order, by commitment id; none for an unknown id. */
  milestoneLists(commitmentIds: readonly string[]): Promise<Map<string, ListOf<MilestoneRow>>> {
    return this.listsOf(this.milestones, commitmentIds, ['ordinal']);
  }

  /** Each commitment's evidence, by milestone id and order, by commitment id. */
  evidenceLists(commitmentIds: readonly string[]): Promise<Map<string, ListOf<EvidenceRow>>> {
    return this.listsOf(this.evidence, commitmentIds, ['milestone_id', 'ordinal']);
  }

  /** Each commitment's budget lines, in order, by commitment id. */
  budgetLists(commitmentIds: readonly string[]): Promise<Map<string, ListOf<BudgetLineRow>>> {
    return this.listsOf(this.budget, commitmentIds, ['ordinal']);
  }

  async milestonesOf(commitmentIds: readonly string[]): Promise<MilestoneRow[]> {
    return rowsOf(await this.milestoneLists(commitmentIds));
  }

  async evidenceOf(commitmentIds: readonly string[]): Promise<EvidenceRow[]> {
    return rowsOf(await this.evidenceLists(commitmentIds));
  }

  async budgetOf(commitmentIds: readonly string[]): Promise<BudgetLineRow[]> {
    return rowsOf(await this.budgetLists(commitmentIds));
  }

  private async one<T extends object>(
    rows: RawRows<T>,
    sql: string,
    parameters: unknown[],
  ): Promise<T | null> {
    const [raw] = (await this.dataSource.query(sql, parameters)) as Record<string, unknown>[];
    return raw === undefined ? null : rows.read(raw);
  }

  /**
   * The rows of `rows`' table that belong to these commitments, by commitment, then `order`,
   * each commitment's with the version of its row: one statement, so one snapshot, and the
   * caller can tell rows of another version than the commitment it shows.
   */
  private async listsOf<T extends object>(
    rows: RawRows<T>,
    commitmentIds: readonly string[],
    order: string[],
  ): Promise<Map<string, ListOf<T>>> {
    const { alias, select, table } = rows;
    const orderBy = order.map((column) => `${alias}.${column}`).join(', ');
    const raw = (await this.dataSource.query(
      `SELECT c.id AS "listOf", c.version AS "listVersion", ${alias}.commitment_id IS NOT NULL
              AS "listHasRow", ${select}
         FROM ${this.commitments.table} c
         LEFT JOIN ${table} ${alias} ON ${alias}.commitment_id = c.id
        WHERE c.id = ANY($1::text[]) ORDER BY c.id, ${orderBy}`,
      [commitmentIds],
    )) as ({ listOf: string; listVersion: number; listHasRow: boolean } & Record<
      string,
      unknown
    >)[];
    const lists = new Map<string, ListOf<T>>();
    for (const { listOf, listVersion, listHasRow, ...row } of raw) {
      let list = lists.get(listOf);
      if (!list) lists.set(listOf, (list = { version: listVersion, rows: [] }));
      if (listHasRow) list.rows.push(rows.read(row));
    }
    return lists;
  }

  private filtered(filter: CommitmentFilter): SelectQueryBuilder<CommitmentRow> {
    const query = this.dataSource.getRepository(CommitmentRow).createQueryBuilder('c');
    if (filter.actionPlanId !== undefined) {
      query.andWhere('c.actionPlanId = :plan', { plan: filter.actionPlanId });
    }
    if (filter.status !== undefined && filter.status.length > 0) {
      query.andWhere('c.status IN (:...statuses)', { statuses: filter.status });
    }
    if (filter.leadAgency !== undefined) {
      query.andWhere('lower(c.leadAgency) = lower(:agency)', { agency: filter.leadAgency });
    }
    if (filter.leadAgencyId !== undefined) {
      query.andWhere('c.leadAgencyId = lower(:agencyId)', { agencyId: filter.leadAgencyId });
    }
    if (filter.policyArea !== undefined) {
      query.andWhere(':area = ANY(c.policyAreas)', { area: filter.policyArea });
    }
    if (filter.ogpValue !== undefined) {
      query.andWhere(':value = ANY(c.ogpValues)', { value: filter.ogpValue });
    }
    if (filter.territory !== undefined) {
      query.andWhere(':territory = ANY(c.territories)', { territory: filter.territory });
    }
    const words = searchable(filter.text ?? '')
      .split(/\s+/)
      .filter((word) => word !== '')
      .slice(0, 10);
    words.forEach((word, i) => {
      query.andWhere(`c.search LIKE :word${i} ESCAPE '\\'`, {
        [`word${i}`]: `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    });
    return query;
  }
}

const rowsOf = <T>(lists: Map<string, ListOf<T>>): T[] =>
  [...lists.values()].flatMap((list) => list.rows);
