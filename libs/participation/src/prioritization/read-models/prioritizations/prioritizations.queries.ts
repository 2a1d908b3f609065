import type { DataSource } from 'typeorm';
import { PrioritizationRow } from './prioritization.entity.js';

/** Where a page starts: after the exercise opened at this global position (newest first). */
export interface PrioritizationListPosition {
  openedPosition: number;
}

/** Reads of the prioritizations read model, for the resolvers. */
export class PrioritizationQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `first` exercises after `after`, newest first; `hasNextPage` says if more follow. */
  async list(
    first: number,
    after?: PrioritizationListPosition,
  ): Promise<{ rows: PrioritizationRow[]; hasNextPage: boolean }> {
    const query = this.dataSource
      .getRepository(PrioritizationRow)
      .createQueryBuilder('p')
      .orderBy('p.opened_position', 'DESC')
      .limit(first + 1);
    if (after) query.where('p.opened_position < :position', { position: after.openedPosition });
    const rows = await query.getMany();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(PrioritizationRow).count();
  }

  byId(id: string): Promise<PrioritizationRow | null> {
    return this.dataSource.getRepository(PrioritizationRow).findOneBy({ id });
  }
}
