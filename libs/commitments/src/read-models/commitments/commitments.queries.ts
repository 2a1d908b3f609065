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

  milestonesOf(commitmentIds: readonly string[]): Promise<MilestoneRow[]> {
    return this.ofCommitments(this.milestones, commitmentIds, ['ordinal']);
  }

  evidenceOf(commitmentIds: readonly string[]): Promise<EvidenceRow[]> {
    return this.ofCommitments(this.evidence, commitmentIds, ['milestone_id', 'ordinal']);
  }

  budgetOf(commitmentIds: readonly string[]): Promise<BudgetLineRow[]> {
    return this.ofCommitments(this.budget, commitmentIds, ['ordinal']);
  }

  private async one<T extends object>(
    rows: RawRows<T>,
    sql: string,
    parameters: unknown[],
  ): Promise<T | null> {
    const [raw] = (await this.dataSource.query(sql, parameters)) as Record<string, unknown>[];
    return raw === undefined ? null : rows.read(raw);
  }

  /** The rows of `rows`' table that belong to these commitments, by commitment, then `order`. */
  private async ofCommitments<T extends object>(
    rows: RawRows<T>,
    commitmentIds: readonly string[],
    order: string[],
  ): Promise<T[]> {
    const { alias, select, table } = rows;
    const orderBy = ['commitment_id', ...order].map((column) => `${alias}.${column}`).join(', ');
    const raw = (await this.dataSource.query(
      `SELECT ${select} FROM ${table} ${alias}
        WHERE ${alias}.commitment_id = ANY($1::text[]) ORDER BY ${orderBy}`,
      [commitmentIds],
    )) as Record<string, unknown>[];
    return raw.map((row) => rows.read(row));
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
