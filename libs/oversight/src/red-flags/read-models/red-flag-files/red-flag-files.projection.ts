import type { RecordedEvent } from '#event-store';
import type { Projection } from '#platform';
import type { EntityManager } from 'typeorm';
import { fileKeyOf, foldEvent, type FlagFile, type FlagFiles } from '../../domain/index.js';

export const RED_FLAG_FILES_PROJECTION = 'red-flag-files';

/** The commitments a file's flags concern, for the commitment filter. */
export function commitmentIdsOf(file: FlagFile): string[] {
  if (file.kind === 'commitment') return [file.id];
  if (file.kind === 'evaluation') return file.commitmentIds;
  return [...new Set([...file.commitmentIds, ...file.actions.map((a) => a.commitmentId)])];
}

/**
 * Keeps the red-flag fold's files: the files a batch touches are read, the batch's events
 * folded into them in log order with the same `foldEvent` that `cuenta flags` runs over an
 * export, and the files written back whole. No filter, so its checkpoint follows the log's
 * head (as the dialogue spaces' projection explains).
 */
export class RedFlagFilesProjection implements Projection {
  readonly name = RED_FLAG_FILES_PROJECTION;

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const keys = new Set<string>();
    for (const event of events) {
      const key = fileKeyOf(event);
      if (key !== null) keys.add(key);
    }
    if (keys.size === 0) return;
    const rows: { key: string; file: FlagFile }[] = await manager.query(
      'SELECT key, file FROM read.red_flag_files WHERE key = ANY($1)',
      [[...keys]],
    );
    const files: FlagFiles = {};
    for (const row of rows) files[row.key] = row.file;
    const last = new Map<string, number>();
    for (const event of events) {
      const key = fileKeyOf(event);
      if (key === null) continue;
      foldEvent(files, event);
      last.set(key, event.position);
    }
    for (const [key, position] of last) {
      const file = files[key];
      if (file === undefined) continue;
      await manager.query(
        `INSERT INTO read.red_flag_files (key, kind, agency_id, commitment_ids, file, last_position)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key) DO UPDATE SET kind = $2, agency_id = $3, commitment_ids = $4,
           file = $5, last_position = $6`,
        [key, file.kind, file.agencyId, commitmentIdsOf(file), JSON.stringify(file), position],
      );
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE read.red_flag_files');
  }
}
