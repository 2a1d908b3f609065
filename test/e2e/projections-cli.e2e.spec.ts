import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { CommitmentCommandHandler } from '#commitments';
import { cartagena2023 } from '../../libs/commitments/demo/index.js';
import { PostgresEventStore, type NewEvent } from '#event-store';
import { PLATFORM_READ_MIGRATIONS } from '#platform';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { PROJECTION_NAMES, projectionsOtherThan } from '../support/projection-names.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';
import { until } from '../support/until.js';

// `cuenta projections status` and `cuenta projections park` as an operator runs them (the
// built CLI, as a process) on a log holding a malformed commitment event: one appended
// straight to the event store, past the domain, which the commitments projection cannot apply.

const CLI = 'dist/apps/cli/src/main.js';
const REASON = 'Registro sin plantilla, escrito a mano durante la migración de 2026';
/** The other contexts' projections: the malformed event is nothing to them. */
const OTHER_PROJECTIONS = projectionsOtherThan('commitments');
/** The status lines of the other projections, as a pattern. */
const othersNotStalled = OTHER_PROJECTIONS.map(
  (name) => `${name}: checkpoint \\d+, not stalled, 0 parked events\\n`,
).join('');

const trusted = { kind: 'trusted' as const, actor: { subject: 'test', role: 'administrator' } };

/** A registration without the commitment's template: nothing but a write past the domain stores one. */
const malformed: NewEvent = {
  type: 'CommitmentRegistered',
  data: { commitmentId: 'broken' },
  metadata: { actor: { subject: 'migration-script', role: 'administrator' } },
};

interface PoisonedLog {
  database: TestDatabase;
  store: PostgresEventStore;
  /** The malformed event's global position. */
  poison: number;
  env: Record<string, string>;
  cli(args: string[]): ReturnType<typeof runNode>;
  /** Registers a valid commitment, through the domain. */
  register(commitmentId: string, code: string): Promise<void>;
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** What parking could write: the parked events, the checkpoint row, the log's head. */
  written(): Promise<{ parked: pg.QueryResult['rows']; checkpoint: unknown; head: number }>;
  /** The commitments the read model holds. */
  commitmentIds(): Promise<string[]>;
  close(): Promise<void>;
}

/** A fresh database with one valid commitment, then the malformed event. */
async function poisonedLog(): Promise<PoisonedLog> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-projections-e2e-'));
  const store = await PostgresEventStore.open({ connectionString: database.url });
  const env = { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir };
  const register = async (commitmentId: string, code: string) => {
    await new CommitmentCommandHandler(store).handle({
      command: { type: 'RegisterCommitment', data: { ...cartagena2023, commitmentId, code } },
      issuer: trusted,
    });
  };
  const sql = async (text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return await client.query(text, params);
    } finally {
      await client.end();
    }
  };
  await register('cartagena-2023', 'CartagenaCuenta-2023');
  const [poison] = (await store.append('commitment-broken', [malformed], 'no_stream')).positions;
  return {
    database,
    store,
    poison,
    env,
    cli: (args) => runNode(CLI, args, env),
    register,
    sql,
    written: async () => ({
      parked: (await sql('SELECT * FROM read.parked_events ORDER BY position')).rows,
      checkpoint: (
        await sql(
          `SELECT position::int, stalled_at::int, stall_error, stalled_since, stall_attempts
             FROM read.projection_checkpoints WHERE name = 'commitments'`,
        )
      ).rows[0],
      head: await store.head(),
    }),
    commitmentIds: async () =>
      (await sql('SELECT id FROM read.commitments ORDER BY id')).rows.map((row) => row.id),
    close: async () => {
      await store.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `text` as a regular expression that matches exactly it. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Health = Record<string, any>;

describe('cuenta projections, with a server stalled on a malformed event', () => {
  let log: PoisonedLog;
  let server: ServerProcess;
  const health = async () => (await (await fetch(`${server.url}/health`)).json()) as Health;

  beforeAll(async () => {
    log = await poisonedLog();
    server = await startServer(log.env);
  });

  afterAll(async () => {
    await server?.stop();
    await log?.close();
  });

  it('parks it through the CLI; the server goes on past it, and health reports it', async () => {
    const stalled = await until(health, (h) => h.projections.stalled[0]?.attempts >= 2);
    const [stall] = stalled.projections.stalled;
    expect(stall).toMatchObject({ projection: 'commitments', checkpoint: log.poison });
    expect(await log.written()).toMatchObject({
      checkpoint: { position: log.poison, stalled_at: log.poison, stall_error: stall.error },
    });

    const status = await log.cli(['projections', 'status']);
    expect(status.stdout).toMatch(
      new RegExp(
        `^commitments: checkpoint ${log.poison}, stalled at position ${log.poison} since ` +
          `\\S+Z \\(\\d+ attempts\\), 0 parked events\\n` +
          `  error: ${escaped(stall.error)}\\n` +
          `  to skip it: cuenta projections park commitments ${log.poison} --reason "<why>"\\n` +
          `${othersNotStalled}$`,
      ),
    );
    expect(status.code).toBe(0);

    const [event] = await log.store.readAll({ from: log.poison, limit: 1 });
    const parked = await log.cli([
      'projections',
      'park',
      'commitments',
      String(log.poison),
      '--reason',
      REASON,
    ]);
    expect(parked.stderr).toBe('');
    expect(parked.stdout).toBe(
      `parked position ${log.poison} of commitments (CommitmentRegistered in commitment-broken, ` +
        `event ${event.id}): it skips that event from now on, also on replay\n`,
    );
    expect(parked.code).toBe(0);
    const [record] = (await log.written()).parked;
    expect(record).toMatchObject({
      projection: 'commitments',
      position: String(log.poison),
      event_id: event.id,
      stream: 'commitment-broken',
      type: 'CommitmentRegistered',
      error: stall.error,
      reason: REASON,
      parked_by: os.userInfo().username,
    });
    expect(record.parked_at).toBeInstanceOf(Date);

    await log.register('later', 'CTG-Later-2024');
    const later = await until(
      () => graphql(server.url, '{ commitment(code: "CTG-Later-2024") { id } }'),
      (answer) => answer.body.data?.commitment != null,
    );
    expect(later.body.data?.commitment).toEqual({ id: 'later' });
    expect(await log.commitmentIds()).toEqual(['cartagena-2023', 'later']);

    const parkedReport = { projection: 'commitments', count: 1, positions: [log.poison] };
    const projections = { stalled: [], parked: [parkedReport], error: null };
    expect((await health()).projections).toEqual(projections);
    const { body } = await graphql(
      server.url,
      '{ health { projections { stalled { projection } parked { projection count positions } error } } }',
    );
    expect(body.data?.health.projections).toEqual(projections);
  });
});

describe('cuenta replay, on a log with a malformed event', () => {
  let log: PoisonedLog;

  beforeAll(async () => {
    log = await poisonedLog();
    await log.register('later', 'CTG-Later-2024');
  });

  afterAll(async () => {
    await log?.close();
  });

  it('stops at it, and once it is parked skips it, rebuild after rebuild', async () => {
    const stopped = await log.cli(['replay']);
    const { checkpoint: stall } = await log.written();
    expect(stall).toMatchObject({ position: log.poison, stalled_at: log.poison });
    const { stall_error: error } = stall as { stall_error: string };
    expect(stopped.stdout).toMatch(
      new RegExp(
        `^${OTHER_PROJECTIONS.map((name) => `replayed ${name}: [\\d,]+ events in \\S+ s \\([\\d,]+ events/s\\)\\n`).join('')}$`,
      ),
    );
    expect(stopped.stderr).toBe(
      `cuenta replay: commitments cannot apply the event at position ${log.poison} ` +
        `(CommitmentRegistered in commitment-broken): ${error.replace(/\.$/, '')}; it stops ` +
        'there: fix the cause, or set the event aside with ' +
        `cuenta projections park commitments ${log.poison} --reason "<why>"\n`,
    );
    expect(stopped.code).toBe(1);
    expect(await log.commitmentIds()).toEqual(['cartagena-2023']);

    const parked = await log.cli([
      'projections',
      'park',
      'commitments',
      String(log.poison),
      '--reason',
      REASON,
    ]);
    expect(parked.code).toBe(0);

    for (let rebuild = 0; rebuild < 2; rebuild++) {
      const replayed = await log.cli(['replay', 'commitments']);
      expect(replayed.stderr).toBe('');
      expect(replayed.stdout).toMatch(/^replayed commitments: 2 events in /);
      expect(replayed.code).toBe(0);
      expect(await log.commitmentIds()).toEqual(['cartagena-2023', 'later']);
      const { checkpoint, parked: records } = await log.written();
      expect(checkpoint).toMatchObject({ position: await log.store.head(), stalled_at: null });
      expect(records.map((r) => Number(r.position))).toEqual([log.poison]);
    }

    const status = await log.cli(['projections', 'status']);
    const head = await log.store.head();
    const [record] = (await log.written()).parked;
    expect(record.error).toBe(error);
    expect(status.stdout).toMatch(
      new RegExp(
        `^commitments: checkpoint ${head}, not stalled, 1 parked event\\n` +
          `  parked position ${log.poison} \\(CommitmentRegistered in commitment-broken, event \\S+\\) ` +
          `on \\S+Z by ${os.userInfo().username}\\n` +
          `    reason: ${REASON}\\n` +
          `    error: ${escaped(error)}\\n` +
          `${othersNotStalled}$`,
      ),
    );
  });
});

describe('cuenta projections park, refusing', () => {
  let log: PoisonedLog;

  /** Runs `cuenta projections park <args>` and says whether anything was written. */
  const park = async (args: string[]) => {
    const before = await log.written();
    const result = await log.cli(['projections', 'park', ...args]);
    return { ...result, changed: JSON.stringify(await log.written()) !== JSON.stringify(before) };
  };

  beforeAll(async () => {
    log = await poisonedLog();
    // A replay stops at the malformed event and records the stall, as a server would.
    expect((await log.cli(['replay'])).code).toBe(1);
  });

  afterAll(async () => {
    await log?.close();
  });

  it('a projection it does not know, exiting 2', async () => {
    const result = await park(['nope', String(log.poison), '--reason', REASON]);

    expect(result.stderr).toBe(
      `cuenta projections: no projection named "nope" (known: ${PROJECTION_NAMES.join(', ')}) ` +
        '(see cuenta projections --help)\n',
    );
    expect(result.code).toBe(2);
    expect(result.changed).toBe(false);
  });

  it.each([
    ['after', 1],
    ['before', -1],
  ])('a position %s the one it is stalled at, naming that one, exiting 1', async (_, offset) => {
    const position = log.poison + offset;
    const result = await park(['commitments', String(position), '--reason', REASON]);

    expect(result.stderr).toBe(
      `cuenta projections: commitments is stalled at position ${log.poison}, not ${position}; ` +
        'only the event a projection is stalled at can be parked\n',
    );
    expect(result.code).toBe(1);
    expect(result.changed).toBe(false);
  });

  it('a missing reason, exiting 2', async () => {
    const result = await park(['commitments', String(log.poison)]);

    expect(result.stderr).toBe(
      'cuenta projections: --reason <text> is required (see cuenta projections --help)\n',
    );
    expect(result.code).toBe(2);
    expect(result.changed).toBe(false);
  });

  it('an empty reason, exiting 2', async () => {
    const result = await park(['commitments', String(log.poison), '--reason', '  ']);

    expect(result.stderr).toBe(
      'cuenta projections: --reason must not be empty (see cuenta projections --help)\n',
    );
    expect(result.code).toBe(2);
    expect(result.changed).toBe(false);
  });

  it('a position that is not a whole number, exiting 2', async () => {
    const result = await park(['commitments', 'last', '--reason', REASON]);

    expect(result.stderr).toBe(
      'cuenta projections: <position> must be a position in the log, a whole number 0 or more ' +
        '(got "last") (see cuenta projections --help)\n',
    );
    expect(result.code).toBe(2);
    expect(result.changed).toBe(false);
  });
});

describe('cuenta projections park, on a projection that is not stalled', () => {
  let log: PoisonedLog;

  beforeAll(async () => {
    log = await poisonedLog();
    await log.cli(['replay']);
    await log.cli(['projections', 'park', 'commitments', String(log.poison), '--reason', REASON]);
    await log.register('later', 'CTG-Later-2024');
    expect((await log.cli(['replay'])).code).toBe(0);
  });

  afterAll(async () => {
    await log?.close();
  });

  it('refuses any position, saying so, exiting 1', async () => {
    const before = await log.written();
    const head = before.head;

    const result = await log.cli([
      'projections',
      'park',
      'commitments',
      String(log.poison + 1),
      '--reason',
      REASON,
    ]);

    expect(result.stderr).toBe(
      `cuenta projections: commitments is not stalled (its checkpoint is ${head}); only the ` +
        'event a projection is stalled at can be parked\n',
    );
    expect(result.code).toBe(1);
    expect(await log.written()).toEqual(before);
  });
});

/** Every command that opens the read side, with arguments that pass their own checks. */
const readSideCommands = [
  ['projections', 'status'],
  ['projections', 'park', 'commitments', '3', '--reason', REASON],
  ['replay'],
].map((args) => ({ command: args.slice(0, 2).join(' '), args }));

describe('the read-side commands where there is no Cuenta database', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-projections-empty-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(readSideCommands)(
    'cuenta $command refuses a CUENTA_DATA_DIR that holds none, creating nothing, exiting 1',
    async ({ args }) => {
      const result = await runNode(CLI, args, {
        DATABASE_URL: undefined,
        CUENTA_DATA_DIR: dataDir,
      });

      expect(result.stderr).toBe(
        `cuenta ${args[0]}: no log here: DATABASE_URL is unset and ${dataDir}/postgres holds ` +
          'no database; set DATABASE_URL or CUENTA_DATA_DIR as for the server\n',
      );
      expect(result.stdout).toBe('');
      expect(result.code).toBe(1);
      expect(await readdir(dataDir)).toEqual([]);
    },
  );

  it.each(readSideCommands)(
    'cuenta $command refuses a database the server never ran on, writing nothing, exiting 1',
    async ({ args }) => {
      const database = await createTestDatabase({ migrated: false });
      try {
        const result = await runNode(CLI, args, {
          DATABASE_URL: database.url,
          CUENTA_DATA_DIR: dataDir,
        });
        const { host, pathname } = new URL(database.url);

        expect(result.stderr).toBe(
          `cuenta ${args[0]}: PostgreSQL at ${host}${pathname} holds no Cuenta log ` +
            '(no events.checkpoints table): start the server on it once\n',
        );
        expect(result.code).toBe(1);
        expect(await schemasOf(database.url)).toEqual(['public']);
        expect(await readdir(dataDir)).toEqual([]);
      } finally {
        await database.drop();
      }
    },
  );
});

describe('cuenta projections, on a database with migrations it does not have', () => {
  let log: PoisonedLog;
  /**
   * The newest migration of the log and of the contexts' read models, as recorded (the
   * platform's own, checkpoints and stalls, are ones the commands need: see the next test).
   */
  const newest = async () => ({
    log: (await log.sql('SELECT max(version) AS v FROM events.schema_migrations')).rows[0].v,
    read: (
      await log.sql(
        'SELECT max(timestamp) AS v FROM read.schema_migrations WHERE name <> ALL($1::text[])',
        [PLATFORM_READ_MIGRATIONS.map((migration) => migration.name)],
      )
    ).rows[0].v,
  });

  beforeAll(async () => {
    log = await poisonedLog();
    expect((await log.cli(['replay'])).code).toBe(1); // stalled at the malformed event
  });

  afterAll(async () => {
    await log?.close();
  });

  it('status and park run neither the log nor the read-model migrations', async () => {
    const before = await newest();
    await log.sql('DELETE FROM events.schema_migrations WHERE version = $1', [before.log]);
    await log.sql('DELETE FROM read.schema_migrations WHERE timestamp = $1', [before.read]);
    const forgotten = await newest();

    const status = await log.cli(['projections', 'status']);
    const parked = await log.cli([
      'projections',
      'park',
      'commitments',
      String(log.poison),
      '--reason',
      REASON,
    ]);

    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(parked.stderr).toBe('');
    expect(parked.code).toBe(0);
    expect(await newest()).toEqual(forgotten);
    expect(forgotten.log).toBeLessThan(before.log);
  });

  it('status refuses read models without the tables of stalls and parked events', async () => {
    const database = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client
        .query(`DELETE FROM read.schema_migrations WHERE name = 'ParkedEvents1795000000200'`)
        .finally(() => client.end());

      const result = await runNode(CLI, ['projections', 'status'], {
        DATABASE_URL: database.url,
        CUENTA_DATA_DIR: log.env.CUENTA_DATA_DIR,
      });
      const { host, pathname } = new URL(database.url);

      expect(result.stderr).toBe(
        `cuenta projections: the read models in PostgreSQL at ${host}${pathname} are not ` +
          'migrated to this version (1 migration pending: ParkedEvents1795000000200): start ' +
          'the server on it once\n',
      );
      expect(result.code).toBe(1);
    } finally {
      await database.drop();
    }
  });
});

/** The schemas of a database, other than PostgreSQL's own. */
async function schemasOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname`,
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}
