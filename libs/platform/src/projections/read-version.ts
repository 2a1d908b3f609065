import type { DataSource } from 'typeorm';
import { READ_SCHEMA } from './read-database.js';

/**
 * Where the log and the read models stand: the log's size and each projection's checkpoint
 * with the time it was written, read in one statement. Anything computed only from the log
 * and the read models is the same for as long as this is: the log is append-only, and read
 * models change only in the transaction that writes their checkpoint (a rebuild that comes
 * back to the same position wrote it at another time). A cache key that is never stale.
 */
export async function readVersion(
  dataSource: DataSource,
  /** The event store's query of the log's size (LOG_SIZE_SQL), run in the same statement. */
  logSizeSql: string,
): Promise<string> {
  const [row] = (await dataSource.query(
    `SELECT (${logSizeSql}) AS log,
            (SELECT string_agg(name || '@' || position || '@' || updated_at, ',' ORDER BY name)
               FROM ${READ_SCHEMA}.projection_checkpoints) AS projections`,
  )) as { log: string; projections: string | null }[];
  return `${row.log};${row.projections ?? ''}`;
}
