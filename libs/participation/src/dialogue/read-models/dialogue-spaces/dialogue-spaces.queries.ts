import type { DataSource } from 'typeorm';
import type {
  DialogueSpaceKind,
  DialogueSpaceStatus,
  ImprovementAction,
  RecordedDialogueSpace,
} from '../../domain/index.js';

export interface DialogueSpaceFilter {
  commitmentId?: string;
  kind?: DialogueSpaceKind;
  status?: DialogueSpaceStatus;
  territoryId?: string;
}

/** Where a page of spaces starts: after this space in the order (newest first). */
export interface DialogueSpacePosition {
  startsAt: string;
  id: string;
}

export interface DialogueSpaceRow {
  space: RecordedDialogueSpace;
  version: number;
}

export interface ImprovementActionRow {
  dialogueSpaceId: string;
  action: ImprovementAction;
}

interface RawSpace {
  space: RecordedDialogueSpace;
  version: number;
}

/** Reads of the dialogue spaces read model, for the resolvers. */
export class DialogueSpaceQueries {
  constructor(private readonly dataSource: DataSource) {}

  private where(filter: DialogueSpaceFilter, params: unknown[]): string[] {
    const clauses: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      clauses.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.commitmentId !== undefined)
      add('commitment_ids @> ARRAY[?]::text[]', filter.commitmentId);
    if (filter.kind !== undefined) add('kind = ?', filter.kind);
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.territoryId !== undefined) add('territory_id = ?', filter.territoryId);
    return clauses;
  }

  /** A page of spaces, newest first (by when they meet, then id). */
  async page(
    filter: DialogueSpaceFilter,
    first: number,
    after?: DialogueSpacePosition,
  ): Promise<{ rows: DialogueSpaceRow[]; hasNextPage: boolean }> {
    const params: unknown[] = [];
    const clauses = this.where(filter, params);
    if (after !== undefined) {
      params.push(after.startsAt, after.id);
      clauses.push(`(starts_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(first + 1);
    const rows: RawSpace[] = await this.dataSource.query(
      `SELECT space, version FROM read.dialogue_spaces
       ${clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''}
       ORDER BY starts_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  async count(filter: DialogueSpaceFilter): Promise<number> {
    const params: unknown[] = [];
    const clauses = this.where(filter, params);
    const [row]: { count: string }[] = await this.dataSource.query(
      `SELECT count(*) AS count FROM read.dialogue_spaces
       ${clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''}`,
      params,
    );
    return Number(row.count);
  }

  async byId(id: string): Promise<DialogueSpaceRow | undefined> {
    const rows: RawSpace[] = await this.dataSource.query(
      'SELECT space, version FROM read.dialogue_spaces WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  /** The spaces that concern a commitment, newest first. */
  async ofCommitment(commitmentId: string): Promise<DialogueSpaceRow[]> {
    const rows: RawSpace[] = await this.dataSource.query(
      `SELECT space, version FROM read.dialogue_spaces WHERE commitment_ids @> ARRAY[$1]::text[]
       ORDER BY starts_at DESC, id DESC`,
      [commitmentId],
    );
    return rows;
  }

  /** The improvement actions agreed for a commitment, by due date. */
  async actionsOfCommitment(commitmentId: string): Promise<ImprovementActionRow[]> {
    const rows: { dialogue_space_id: string; action: ImprovementAction }[] =
      await this.dataSource.query(
        `SELECT dialogue_space_id, action FROM read.improvement_actions WHERE commitment_id = $1
         ORDER BY due_date, dialogue_space_id, ordinal`,
        [commitmentId],
      );
    return rows.map((row) => ({ dialogueSpaceId: row.dialogue_space_id, action: row.action }));
  }
}
