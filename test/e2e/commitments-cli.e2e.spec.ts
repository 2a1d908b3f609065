import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { CommitmentCommandHandler } from '#commitments';
import { cartagena2023History } from '../../libs/commitments/demo/index.js';
import { PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { PROJECTION_NAMES, projectionsOtherThan } from '../support/projection-names.js';
import { graphql, runNode, startServer } from '../support/server.js';

// `cuenta replay` and `cuenta import` as a user runs them: the built CLI, as a process.

const CLI = 'dist/apps/cli/src/main.js';

describe('cuenta replay', () => {
  let database: TestDatabase;
  let dataDir: string;
  let events: number;

  const rows = async (table: string) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return Number((await client.query(`SELECT count(*) FROM read.${table}`)).rows[0].count);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-cli-e2e-'));
    const store = await PostgresEventStore.open({ connectionString: database.url });
    const handler = new CommitmentCommandHandler(store);
    for (const step of cartagena2023History) {
      await handler.handle({
        command: step.command,
        issuer: { kind: 'trusted', actor: step.actor },
        commandId: step.commandId,
        occurredAt: new Date(step.occurredAt),
      });
    }
    // The projection reads the commitment streams only, not the code streams beside them.
    events = (await store.readAll({ filter: { streamPrefix: 'commitment-' } })).length;
    expect(events).toBe((await store.head()) - 1);
    await store.close();
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('rebuilds the read models from the log and says how fast', async () => {
    const result = await runNode(CLI, ['replay'], {
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
    });

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      new RegExp(
        `^replayed commitments: ${events} events in \\d+\\.\\d\\d s \\([\\d,]+ events/s\\)\\n` +
          // The other contexts' read models, which skip this log's events.
          projectionsOtherThan('commitments')
            .map(
              (name) =>
                `replayed ${name}: [\\d,]+ events in \\d+\\.\\d\\d s \\([\\d,]+ events/s\\)\\n`,
            )
            .join('') +
          '$',
      ),
    );
    expect(result.code).toBe(0);
    expect(await rows('commitments')).toBe(1);
    expect(await rows('milestones')).toBe(7);
    expect(await rows('evidence')).toBe(10);
  });

  it('only resets when a running server replays, and the server rebuilds the rows', async () => {
    const server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
    try {
      const result = await runNode(CLI, ['replay', 'commitments'], {
        DATABASE_URL: database.url,
        CUENTA_DATA_DIR: dataDir,
      });
      expect(result.stdout).toMatch(/^reset commitments; the active projection runner/);
      expect(result.code).toBe(0);
      const deadline = Date.now() + 10_000;
      let milestones = 0;
      while (milestones !== 7 && Date.now() < deadline) {
        const { body } = await graphql(
          server.url,
          '{ commitment(code: "CartagenaCuenta-2023") { milestones { id } } }',
        );
        milestones = body.data?.commitment?.milestones.length ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(milestones).toBe(7);
    } finally {
      await server.stop();
    }
  });

  it('refuses a projection it does not know, exiting 2', async () => {
    const result = await runNode(CLI, ['replay', 'nope'], { DATABASE_URL: database.url });

    expect(result.stderr).toBe(
      `cuenta replay: no projection named "nope" (known: ${PROJECTION_NAMES.join(', ')}) ` +
        '(see cuenta replay --help)\n',
    );
    expect(result.code).toBe(2);
  });
});

/** The example file of docs/import.md, so the documentation cannot drift from the code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit the example by shape
async function documentedExample(): Promise<Record<string, any>> {
  const doc = await readFile('docs/import.md', 'utf8');
  const block = /## Format[\s\S]*?```json\n([\s\S]*?)\n```/.exec(doc);
  if (!block) throw new Error('docs/import.md has no JSON example under "## Format"');
  return JSON.parse(block[1]);
}

describe('cuenta import', () => {
  let database: TestDatabase;
  let dir: string;
  let store: PostgresEventStore;

  const importFile = async (content: unknown, name = 'plan.json') => {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(content, null, 2));
    const result = await runNode(CLI, ['import', file], { DATABASE_URL: database.url });
    return { ...result, file };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-import-e2e-'));
    store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the documented example as commands, with its actor and business times', async () => {
    const example = await documentedExample();
    const { code, stdout, stderr, file } = await importFile(example);
    const events = await store.readStream('commitment-cartagena-presupuesto-abierto-2024');

    expect(stderr).toBe('');
    expect(stdout).toBe(
      `imported ${file}: 1 commitment, 6 commands recorded, 0 already recorded\n`,
    );
    expect(code).toBe(0);
    expect(events.map((e) => e.type)).toEqual([
      'CommitmentRegistered',
      'MilestoneAdded',
      'MilestoneAdded',
      'CommitmentPublished',
      'BudgetRecorded',
      'CommitmentStarted',
      'MilestoneProgressReported',
    ]);
    expect(events[0].metadata).toMatchObject({
      actor: example.actor,
      occurredAt: '2024-01-15T14:00:00.000Z',
      commandId: 'import:cartagena-presupuesto-abierto-2024:register',
    });
    expect(events[6].metadata.occurredAt).toBe('2024-02-28T14:00:00.000Z');
    expect(events[0].data.leadAgency).toEqual(example.commitments[0].leadAgency);
  });

  it("derives the lead agency's id from its name when the file leaves it out", async () => {
    const example = await documentedExample();
    const commitment = example.commitments[0];
    commitment.commitmentId = 'derived-agency';
    commitment.code = 'CTG-Derived-2024';
    commitment.leadAgency = { name: 'Secretaría de Hacienda Distrital' };
    example.actor.agency = 'secretaria-de-hacienda-distrital';

    const { code } = await importFile(example, 'derived.json');
    const [registered] = await store.readStream('commitment-derived-agency');

    expect(code).toBe(0);
    expect(registered.data.leadAgency).toEqual({
      id: 'secretaria-de-hacienda-distrital',
      name: 'Secretaría de Hacienda Distrital',
      offices: [],
    });
    expect(registered.metadata.actor).toEqual(example.actor);
  });

  it('refuses an actor whose agency is a name, not an id, before writing anything', async () => {
    const example = await documentedExample();
    example.commitments[0].commitmentId = 'agency-by-name';
    example.actor.agency = "District Mayor's Office of Cartagena de Indias";
    const head = await store.head();

    const { code, stderr, file } = await importFile(example, 'agency-name.json');

    expect(stderr).toBe(
      `cuenta import: ${file}: actor.agency must be an agency id: 1 to 64 lower-case letters ` +
        '(a-z) and digits, in groups joined by single hyphens (e.g. secretaria-de-planeacion) ' +
        '(see cuenta import --help)\n',
    );
    expect(code).toBe(2);
    expect(await store.head()).toBe(head);
  });

  it('records nothing new when the same file is imported again', async () => {
    const example = await documentedExample();
    await importFile(example);
    const head = await store.head();

    const { code, stdout, file } = await importFile(example);

    expect(stdout).toBe(
      `imported ${file}: 1 commitment, 0 commands recorded, 6 already recorded\n`,
    );
    expect(code).toBe(0);
    expect(await store.head()).toBe(head);
  });

  it('refuses an entry changed since it was imported, naming it', async () => {
    const example = await documentedExample();
    await importFile(example);
    example.commitments[0].milestones[0].title = 'Another title';

    const { code, stderr } = await importFile(example);

    expect(stderr).toMatch(
      /^cuenta import: .*plan\.json: commitments\[0\]\.milestones\[0\]: command id import:cartagena-presupuesto-abierto-2024:milestone:m1 was already used for a different command/,
    );
    expect(code).toBe(1);
  });

  it("stops at the first command the rules refuse, naming the entry's field", async () => {
    const example = await documentedExample();
    const commitment = example.commitments[0];
    commitment.commitmentId = 'outside-dates';
    commitment.code = 'CTG-Outside-2024';
    commitment.milestones[1].plannedEnd = '2025-03';

    const { code, stderr } = await importFile(example, 'outside.json');
    const events = await store.readStream('commitment-outside-dates');

    expect(stderr).toMatch(
      /^cuenta import: .*outside\.json: commitments\[0\]\.milestones\[1\]\.plannedEnd: milestone m2 would fall outside the commitment's dates \(2024-01-01 to 2024-12-31\)/,
    );
    expect(code).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['CommitmentRegistered', 'MilestoneAdded']);
  });

  it('refuses a code another commitment holds, naming the entry and the holder', async () => {
    const example = await documentedExample();
    await importFile(example);
    const commitment = example.commitments[0];
    commitment.commitmentId = 'same-code';
    commitment.code = commitment.code.toUpperCase();
    const head = await store.head();

    const { code, stderr, file } = await importFile(example, 'same-code.json');

    expect(stderr).toBe(
      `cuenta import: ${file}: commitments[0].code: code ` +
        'CTG-PRESUPUESTOABIERTO-2024 is already taken by commitment ' +
        'cartagena-presupuesto-abierto-2024 (codes are unique, whatever their case) ' +
        '(the commands before it are recorded; fix the entry and import again)\n',
    );
    expect(code).toBe(1);
    expect(await store.head()).toBe(head);
  });

  it('refuses a file that gives two entries the same code before writing anything', async () => {
    const example = await documentedExample();
    const twin = { ...example.commitments[0], commitmentId: 'twin', code: 'ctg-twin-2024' };
    example.commitments = [{ ...twin, commitmentId: 'first-twin', code: 'CTG-Twin-2024' }, twin];
    const head = await store.head();

    const { code, stderr, file } = await importFile(example, 'twins.json');

    expect(stderr).toBe(
      `cuenta import: ${file}: commitments[1].code is the code of commitments[0] too ` +
        '(codes are unique, whatever their case) (see cuenta import --help)\n',
    );
    expect(code).toBe(2);
    expect(await store.head()).toBe(head);
  });

  it('refuses a malformed file before writing anything, exiting 2', async () => {
    const head = await store.head();
    const wrongFormat = await importFile({ format: 'cuenta-import/9', actor: {}, commitments: [] });
    const notJson = path.join(dir, 'broken.json');
    await writeFile(notJson, '{ "format": ');
    const broken = await runNode(CLI, ['import', notJson], { DATABASE_URL: database.url });

    expect(wrongFormat.stderr).toBe(
      `cuenta import: ${wrongFormat.file}: format must be "cuenta-import/1" (see cuenta import --help)\n`,
    );
    expect(wrongFormat.code).toBe(2);
    expect(broken.stderr).toMatch(/^cuenta import: .*broken\.json is not JSON/);
    expect(broken.code).toBe(2);
    expect(await store.head()).toBe(head);
  });
});
