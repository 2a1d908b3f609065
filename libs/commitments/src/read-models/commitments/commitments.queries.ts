import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { BudgetLineRow } from './budget-line.entity.js';
import { searchable } from './commitment-rows.js';
import { CommitmentRow } from './commitment.entity.js';
import { EvidenceRow } from './evidence.entity.js';
import { MilestoneRow } from './milestone.entity.js';

/** What the commitments list can be filtered by; every given part must match. */
export interface CommitmentFilter {
  actionPlanId?: string;
  /** Any of these statuses. */
  status?: string[];
  /** The lead agency's name, in any letter case. */
  leadAgency?: string;
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

/** Reads of the commitments read model: each method is one SQL statement. */
export class CommitmentQueries {
  constructor(private readonly dataSource: DataSource) {}

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
    return this.dataSource.getRepository(CommitmentRow).findOneBy({ id });
  }

  /** The first commitment registered with this code (codes are unique by intent). */
  byCode(code: string): Promise<CommitmentRow | null> {
    return this.dataSource
      .getRepository(CommitmentRow)
      .createQueryBuilder('c')
      .where('c.code = :code', { code })
      .orderBy('c.registeredAt', 'ASC')
      .limit(1)
      .getOne();
  }

  milestonesOf(commitmentIds: readonly string[]): Promise<MilestoneRow[]> {
    return this.dataSource
      .getRepository(MilestoneRow)
      .createQueryBuilder('m')
      .where('m.commitmentId IN (:...ids)', { ids: commitmentIds })
      .orderBy('m.commitmentId')
      .addOrderBy('m.ordinal')
      .getMany();
  }

  evidenceOf(commitmentIds: readonly string[]): Promise<EvidenceRow[]> {
    return this.dataSource
      .getRepository(EvidenceRow)
      .createQueryBuilder('e')
      .where('e.commitmentId IN (:...ids)', { ids: commitmentIds })
      .orderBy('e.commitmentId')
      .addOrderBy('e.milestoneId')
      .addOrderBy('e.ordinal')
      .getMany();
  }

  budgetOf(commitmentIds: readonly string[]): Promise<BudgetLineRow[]> {
    return this.dataSource
      .getRepository(BudgetLineRow)
      .createQueryBuilder('b')
      .where('b.commitmentId IN (:...ids)', { ids: commitmentIds })
      .orderBy('b.commitmentId')
      .addOrderBy('b.ordinal')
      .getMany();
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
