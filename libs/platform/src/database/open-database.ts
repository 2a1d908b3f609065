import type { Config } from '../config/config.js';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.js';

export interface DatabaseHandle {
  url: string;
  /** Where the data lives, for people: a folder or a server. */
  description: string;
  /** For the embedded PostgreSQL: how a person connects to it with psql, in one line. */
  inspection?: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL in the data folder. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPostgresPort'>,
  log: (line: string) => void = () => undefined,
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return {
      url: config.databaseUrl,
      description: `PostgreSQL at ${url.host}${url.pathname}`,
      stop: async () => undefined,
    };
  }
  const server: RunningPostgres = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPostgresPort,
    log,
  });
  const url = new URL(server.url);
  url.pathname = '/postgres';
  const user = decodeURIComponent(url.username);
  return {
    url: url.toString(),
    description:
      `embedded PostgreSQL on 127.0.0.1:${server.port}, data in ${config.dataDir}/postgres` +
      (server.owned ? '' : ' (already running)'),
    inspection:
      `psql -h 127.0.0.1 -p ${server.port} -U ${user} -d postgres ` +
      `(the password is in ${server.credentialsFile})`,
    stop: () => server.stop(),
  };
}
