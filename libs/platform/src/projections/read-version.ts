import type { DataSource } from 'typeorm';
import { READ_SCHEMA } from './read-database.js';

/**
 * Where the log and the read models stand: the log's size and how many times each
 * projection's tables have changed (`changes` on its checkpoint row), read in one statement.
 * Anything computed only from the log and the read models is the same for as long as this
 * is: the log is append-only, and a read model changes only in a transaction that also counts
 * the change on its checkpoint (a batch that applied events, a reset). A checkpoint moving
 * past events its projection does not apply leaves it as it was, so an append a read model
 * does not take moves the log's size, once, and nothing else. A cache key that is never stale.
 */
export async function readVersion(
  dataSource: DataSource,
  /** The event store's query of the log's size (LOG_SIZE_SQL), run in the same statement. */
  logSizeSql: string,
): Promise<string> {
  const [row] = (await dataSource.query(
    `SELECT (${logSizeSql}) AS log,
            (SELECT string_agg(name || '@' || changes, ',' ORDER BY name)
               FROM ${READ_SCHEMA}.projection_checkpoints) AS projections`,
  )) as { log: string; projections: string | null }[];
  return `${row.log};${row.projections ?? ''}`;
}
