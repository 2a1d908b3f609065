import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './server.js';

const run = promisify(execFile);

/** A PostgreSQL server of its own, started with the machine's `initdb` and `pg_ctl`. */
export interface PgCluster {
  /** URL of a database `name` created on it. */
  url: string;
  /** `pg_ctl stop -m immediate`, as a crash: the folder stays, `start` brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** `pg_ctl restart -m fast`: every session ends, the server is back when this resolves. */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

/**
 * Initialises a throwaway cluster in a temporary folder (fsync off) on a free port of
 * 127.0.0.1, starts it and creates database `name`. PostgreSQL refuses to run as root: as
 * root, the folder is given to the `postgres` user and the tools run as that user.
 */
export async function startPgCluster(name: string): Promise<PgCluster> {
  const server = await initServer();
  await server.start();
  const admin = new pg.Client({
    connectionString: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
  });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return server.cluster(name);
}

/**
 * A hot standby of `primary` (a cluster this module started), on a port of its own: a
 * `pg_basebackup -R` of it into a temporary folder, started as a streaming replica. It
 * replays the primary's WAL as PostgreSQL's own replication does in production, and
 * answers read-only queries on database `name`.
 */
export async function startStandby(primary: PgCluster, name: string): Promise<PgCluster> {
  const source = new URL(primary.url);
  const server = await initServer({
    basebackup: ['-h', '127.0.0.1', '-p', source.port, '-U', 'postgres', '-R', '-X', 'stream'],
  });
  await server.start();
  return server.cluster(name);
}

/** A server folder, initialised (initdb) or copied from a primary (pg_basebackup -R). */
async function initServer(options: { basebackup?: string[] } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-pgctl-'));
  const asRoot = os.userInfo().uid === 0;
  const tool = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: dir })
      : run(command, args, { cwd: dir });
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  if (options.basebackup) {
    await tool('pg_basebackup', ['-D', data, '-c', 'fast', ...options.basebackup]);
  } else {
    await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  }
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const ctl = (...args: string[]) =>
    tool('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', ...args]);
  const start = async () => {
    await ctl('-o', settings, 'start');
  };
  return {
    port,
    start,
    cluster: (name: string): PgCluster => ({
      url: `postgres://postgres@127.0.0.1:${port}/${name}`,
      start,
      stop: async () => {
        await ctl('-m', 'immediate', 'stop');
      },
      restart: async () => {
        await ctl('-m', 'fast', '-o', settings, 'restart');
      },
      destroy: async () => {
        await ctl('-m', 'immediate', 'stop').catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    }),
  };
}
