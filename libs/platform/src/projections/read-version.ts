import type { DataSource } from 'typeorm';
import { FreshReads } from '#kernel';
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

export interface SharedReadVersionOptions {
  dataSource: DataSource;
  /** The event store's query of the log's size (LOG_SIZE_SQL). */
  logSizeSql: string;
  /**
   * The database the running request reads from: a read replica, or undefined for the
   * primary (ReadReplicas.current). Requests share a version only with requests reading
   * from the same database.
   */
  readsFrom: () => object | undefined;
}

/**
 * `readVersion` for the requests that ask at the same time, read once for them: each gets
 * the version from a statement that started after it asked (`FreshReads`), so it is never
 * older than the state when the request came in, as a version of its own would be. Requests
 * reading from different databases (the primary, each replica) never share one. A statement
 * runs in the routing of the request that started it; when it ended on another database
 * than a sharer reads from (that request turned to the primary after a failure), the sharer
 * reads its own.
 */
export function sharedReadVersion(options: SharedReadVersionOptions): () => Promise<string> {
  const { dataSource, logSizeSql, readsFrom } = options;
  // Keyed by the database itself: a replica, or undefined for the primary.
  const shared = new FreshReads<
    { version: string; readFrom: object | undefined },
    object | undefined
  >();
  return async () => {
    const database = readsFrom();
    const { version, readFrom } = await shared.run(database, async () => ({
      version: await readVersion(dataSource, logSizeSql),
      readFrom: readsFrom(),
    }));
    return readFrom === database ? version : readVersion(dataSource, logSizeSql);
  };
}
