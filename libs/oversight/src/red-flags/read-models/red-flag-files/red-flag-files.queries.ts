import type { DataSource } from 'typeorm';
import {
  evaluateFile,
  sortFlags,
  type FlagFile,
  type RedFlag,
  type RuleCode,
  type Thresholds,
} from '../../domain/index.js';

/** The kind of file each rule's flags come from, so a rule filter reads only those files. */
const FILE_KIND_OF_RULE = (rule: RuleCode): FlagFile['kind'] =>
  rule === 'CF-13'
    ? 'evaluation'
    : rule === 'CF-14' || rule === 'CF-15' || rule === 'CF-16'
      ? 'dialogue_space'
      : 'commitment';

export interface RedFlagFilter {
  rule?: RuleCode;
  commitmentId?: string;
  agencyId?: string;
  state?: 'open' | 'closed';
}

export interface FileRow {
  key: string;
  agencyId: string | null;
  file: FlagFile;
}

/** Reads of the red flags' read model: files fetched by filter, flags judged at a time. */
export class RedFlagQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** One file, or undefined. */
  async file(key: string): Promise<FileRow | undefined> {
    const rows: { key: string; agency_id: string | null; file: FlagFile }[] =
      await this.dataSource.query(
        'SELECT key, agency_id, file FROM read.red_flag_files WHERE key = $1',
        [key],
      );
    return rows[0] && { key: rows[0].key, agencyId: rows[0].agency_id, file: rows[0].file };
  }

  /**
   * Every flag matching `filter` as of `asOf`, newest raised first: the files that can hold
   * one are read and judged whole, in the order `cuenta flags` prints.
   */
  async flags(filter: RedFlagFilter, asOf: string, thresholds: Thresholds): Promise<RedFlag[]> {
    const params: unknown[] = [];
    const clauses: string[] = [];
    if (filter.commitmentId !== undefined) {
      params.push(filter.commitmentId);
      clauses.push(`commitment_ids @> ARRAY[$${params.length}]::text[]`);
    }
    if (filter.rule !== undefined) {
      params.push(FILE_KIND_OF_RULE(filter.rule));
      clauses.push(`kind = $${params.length}`);
    }
    if (filter.agencyId !== undefined) {
      params.push(filter.agencyId);
      clauses.push(`agency_id = $${params.length}`);
    }
    const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    const rows: { key: string; file: FlagFile }[] = await this.dataSource.query(
      `SELECT key, file FROM read.red_flag_files ${where}`,
      params,
    );
    const flags: RedFlag[] = [];
    for (const row of rows) {
      for (const flag of evaluateFile(row.key, row.file, asOf, thresholds)) {
        if (filter.rule !== undefined && flag.rule !== filter.rule) continue;
        if (filter.state !== undefined && flag.state !== filter.state) continue;
        if (
          filter.commitmentId !== undefined &&
          !flag.subject.commitmentIds.includes(filter.commitmentId)
        ) {
          continue;
        }
        flags.push(flag);
      }
    }
    return sortFlags(flags);
  }
}
