import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CompactRange, fromBase64, fromHex, openCheckpoint, toBase64 } from '#ledger';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  csvAsValues,
  downloadPackage,
  validatePackage,
  type PackageDescriptor,
} from '../support/open-data-package.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';

// The open-data package of the Cartagena demo over real HTTP and from `cuenta open-data`,
// checked with Frictionless' own Data Package / Table Schema implementation and csv-parse,
// never with the code that writes it.

const CLI = 'dist/apps/cli/src/main.js';
const AGENCY = 'alcaldia-cartagena';
const COMMITMENT = 'cartagena-cuenta-2023';
const HEARING = 'audiencia-publica-2023-12-07';
const SMALL_MEETING = 'mesa-pequena-bocachica';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Data = Record<string, any>;

let database: TestDatabase;
let dataDir: string;
let work: string;
let server: ServerProcess;
let env: Record<string, string>;

async function until(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen: ${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-open-data-e2e-'));
  work = await mkdtemp(path.join(os.tmpdir(), 'cuenta-open-data-files-'));
  env = { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir };
  server = await startServer({ ...env, CUENTA_DEMO: 'on' }, 60_000);
  // The demo is recorded at start; wait until the read models show its last step.
  await until('the demo', async () => {
    const { body } = await graphql<Data>(
      server.url,
      `{ dialogueSpace(id: "${HEARING}") { improvementActions { reports { percent } } } }`,
    );
    return Boolean(body.data?.dialogueSpace?.improvementActions?.[0]?.reports?.length);
  });
  // A small meeting, whose attendance has cells of fewer than 5 people.
  const { mint } = await localTokens(dataDir);
  const steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
  const space = {
    dialogueSpaceId: SMALL_MEETING,
    kind: 'MEETING',
    title: 'Mesa de diálogo en Bocachica',
    convenedAt: '2024-01-10T14:00:00.000Z',
    startsAt: '2024-01-20T14:00:00.000Z',
    place: 'Caseta comunal de Bocachica',
    channel: 'IN_PERSON',
    territoryId: 'bocachica',
    agenda: ['Ejecución del presupuesto 2023 en los corregimientos'],
    commitmentIds: [COMMITMENT],
  };
  const steps: [string, string, object][] = [
    ['recordDialogueSpace', 'RecordDialogueSpaceInput', space],
    ['recordDialogueSpace', 'RecordDialogueSpaceInput', { ...space, status: 'HELD' }],
    [
      'recordAttendance',
      'RecordAttendanceInput',
      {
        dialogueSpaceId: SMALL_MEETING,
        total: 23,
        byGroup: [
          { dimension: 'sex', category: 'female', count: 14 },
          { dimension: 'sex', category: 'male', count: 9 },
          { dimension: 'ethnic_group', category: 'afrocolombian', count: 19 },
          { dimension: 'ethnic_group', category: 'palenquero', count: 2 },
        ],
        byTerritory: [{ territoryId: 'bocachica', count: 23 }],
      },
    ],
  ];
  // An independent assessment, then one replacing it (so a current and a superseded one),
  // rating the commitment's completion as limited: a flag anyone can recompute.
  const oversight = bearer(await mint({ role: 'oversight', subject: 'mri', agencies: [] }));
  const assessment = {
    commitmentId: COMMITMENT,
    report: { kind: 'RESULTS_REPORT', id: 'irm-cartagena-2024' },
    scheme: { name: 'OGP IRM', version: '2021' },
    verifiability: 'VERIFIABLE',
    openGovernmentLens: { relevant: true, values: ['TRANSPARENCY', 'PUBLIC_ACCOUNTABILITY'] },
    potentialForResults: 'MODEST',
    completion: 'SUBSTANTIAL',
    didItOpenGovernment: 'MARGINAL',
    justification: 'Se publicaron los informes trimestrales; faltó la audiencia de cierre.',
    evidence: [
      {
        kind: 'LINK',
        url: 'https://www.opengovpartnership.org/documents/cartagena-results-report-2024/',
        sha256: 'ab'.repeat(32),
        mediaType: 'application/pdf',
        description: 'Informe de resultados del MRI, 2024',
      },
    ],
    occurredAt: '2024-03-15T15:00:00.000Z',
  };
  const replacing = {
    ...assessment,
    completion: 'LIMITED',
    reason: 'El informe final corrigió el nivel de cumplimiento',
  };
  for (const [name, inputType, input, as] of [
    ...steps.map(([n, t, i]) => [n, t, i, steward] as const),
    ['recordIndependentAssessment', 'RecordIndependentAssessmentInput', assessment, oversight],
    ['recordIndependentAssessment', 'RecordIndependentAssessmentInput', replacing, oversight],
  ] as const) {
    const { body } = await graphql<Data>(
      server.url,
      `mutation ($input: ${inputType}!) { ${name}(input: $input) { streamVersion } }`,
      { input },
      as,
    );
    if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
  }
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const fetchText = async (file: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.url}/open-data/${file}`, { headers });
  return { response, text: await response.text() };
};

describe('GET /open-data', () => {
  let dir: string;
  let descriptor: PackageDescriptor;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(work, 'http-'));
    descriptor = await downloadPackage(server.url, dir);
  });

  it('serves a package that the Frictionless Data Package and Table Schema implementation validates, foreign keys included', async () => {
    const validated = await validatePackage(dir);
    expect(validated.errors).toEqual([]);
    expect(validated.failures).toEqual({});
    expect(descriptor.profile).toBe('tabular-data-package');
    expect(Object.keys(validated.rows)).toEqual([
      'action-plans',
      'commitments',
      'milestones',
      'budget',
      'evidence',
      'history',
      'evaluations',
      'evaluation-answers',
      'dialogue-spaces',
      'dialogue-attendance',
      'improvement-actions',
      'prioritization-results',
      'assessments',
      'assessment-evidence',
      'red-flags',
    ]);
    expect(validated.rows.commitments.map((row) => row.id)).toEqual([COMMITMENT]);
    expect(validated.rows.history).toHaveLength(descriptor.cuenta.logSize);
    for (const name of [
      'milestones',
      'evidence',
      'evaluations',
      'dialogue-attendance',
      'improvement-actions',
      'prioritization-results',
      'action-plans',
      'assessments',
      'assessment-evidence',
      'red-flags',
    ]) {
      expect(validated.rows[name].length).toBeGreaterThan(0);
    }
  });

  it('fails validation when a value breaks its schema, so the check above can fail', async () => {
    const broken = await mkdtemp(path.join(work, 'broken-'));
    for (const file of await readdir(dir)) {
      await writeFile(path.join(broken, file), await readFile(path.join(dir, file)));
    }
    const milestones = await readFile(path.join(dir, 'milestones.csv'), 'utf8');
    const [header, first, ...rest] = milestones.split('\r\n');
    await writeFile(
      path.join(broken, 'milestones.csv'),
      [header, first.replace(/,(met|scheduled|notMet|partiallyMet),/, ',done,'), ...rest].join(
        '\r\n',
      ),
    );
    const validated = await validatePackage(broken);
    expect(validated.failures.milestones).toMatch(/milestoneStatus|constraint|enum/i);
  });

  it('describes every field in Spanish and English, with primary keys and foreign keys', () => {
    for (const resource of descriptor.resources) {
      expect(resource.schema.primaryKey.length).toBeGreaterThan(0);
      for (const field of resource.schema.fields) {
        expect(field.descriptions.es.length).toBeGreaterThan(0);
        expect(field.descriptions.en.length).toBeGreaterThan(0);
        expect(field.description).toBe(`${field.descriptions.es}\n\nEN: ${field.descriptions.en}`);
      }
    }
    const milestones = descriptor.resources.find((r) => r.name === 'milestones');
    expect(milestones?.schema.foreignKeys).toEqual([
      { fields: ['commitmentId'], reference: { resource: 'commitments', fields: ['id'] } },
    ]);
  });

  it('gives every CSV one header row of field names, and csv-parse reads back exactly the values of the JSON', async () => {
    for (const resource of descriptor.resources) {
      const csv = await fetchText(`${resource.name}.csv`);
      const json = await fetchText(`${resource.name}.json`);
      expect(csv.response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(csv.response.headers.get('x-cuenta-log-size')).toBe(String(descriptor.cuenta.logSize));
      expect(json.response.headers.get('x-cuenta-log-size')).toBe(
        String(descriptor.cuenta.logSize),
      );
      const parsed = csvAsValues(csv.text, resource.schema.fields);
      expect(parsed.header).toEqual(resource.schema.fields.map((f) => f.name));
      const body = JSON.parse(json.text) as { resource: string; logSize: number; rows: unknown[] };
      expect(body.resource).toBe(resource.name);
      expect(body.logSize).toBe(descriptor.cuenta.logSize);
      expect(parsed.rows).toEqual(body.rows);
    }
  });

  it('names the log size and a signed checkpoint, and the history rows rebuild its root', async () => {
    const { cuenta } = descriptor;
    expect(cuenta.checkpoint?.size).toBe(cuenta.logSize);
    const opened = openCheckpoint({
      note: cuenta.checkpoint?.note ?? '',
      origin: cuenta.origin,
      logKey: cuenta.verifierKey,
    });
    expect(opened.checkpoint.size).toBe(cuenta.logSize);
    expect(toBase64(opened.checkpoint.rootHash)).toBe(cuenta.checkpoint?.rootHash);
    const csv = await readFile(path.join(dir, 'history.csv'), 'utf8');
    const history = descriptor.resources.find((r) => r.name === 'history');
    const { rows } = csvAsValues(csv, history?.schema.fields ?? []);
    const tree = CompactRange.empty();
    rows.forEach((row, i) => {
      expect(row.position).toBe(i);
      const leaf = fromHex(String(row.leafHash));
      if (!leaf) throw new Error(`row ${i}: leafHash is not hex`);
      tree.append(leaf);
    });
    expect(tree.root()).toEqual(fromBase64(cuenta.checkpoint?.rootHash ?? ''));
  });

  it('publishes attendance with every cell of fewer than 5 people suppressed, never as a number', async () => {
    const { text } = await fetchText('dialogue-attendance.json');
    const { rows } = JSON.parse(text) as { rows: Data[] };
    const small = rows.filter((row) => row.dialogueSpaceId === SMALL_MEETING);
    expect(small.map((r) => [r.dimension, r.category, r.count, r.suppressed])).toEqual([
      ['total', 'total', 23, false],
      ['sex', 'female', 14, false],
      ['sex', 'male', 9, false],
      ['ethnic_group', 'afrocolombian', null, true],
      ['ethnic_group', 'palenquero', null, true],
      ['territory', 'bocachica', 23, false],
    ]);
    for (const row of rows) {
      if (row.count !== null) expect(row.count).toBeGreaterThanOrEqual(5);
    }
    const csv = await fetchText('dialogue-attendance.csv');
    expect(csv.text).toContain(`${SMALL_MEETING},ethnic_group,palenquero,,true,`);
  });

  it('publishes evaluations without personal data, a hidden one as a placeholder without ratings', async () => {
    const evaluations = descriptor.resources.find((r) => r.name === 'evaluations');
    const names = evaluations?.schema.fields.map((f) => f.name) ?? [];
    for (const personal of ['comment', 'contact', 'groups', 'submittedBy']) {
      expect(names).not.toContain(personal);
    }
    const { text } = await fetchText('evaluations.json');
    const { rows } = JSON.parse(text) as { rows: Data[] };
    const hidden = rows.filter((row) => row.moderationState === 'hidden');
    expect(hidden.length).toBeGreaterThan(0);
    for (const row of hidden) {
      expect([row.clarity, row.progress, row.dialogueUsefulness]).toEqual([null, null, null]);
      expect(row.hiddenCategory).not.toBeNull();
    }
    const history = await fetchText('history.csv');
    expect(history.text.split('\r\n')[0]).not.toMatch(/subject/i);
  });

  it('reproduces every roll-up from the package alone: milestones to commitments to plans', async () => {
    const read = async (name: string) => {
      const { text } = await fetchText(`${name}.json`);
      return (JSON.parse(text) as { rows: Data[] }).rows;
    };
    // One at a time: the server serves at most two downloads at once.
    const plans = await read('action-plans');
    const commitments = await read('commitments');
    const milestones = await read('milestones');
    // The documented formula, by hand: sum(weight * progress) / sum(weight), two decimals.
    const mean = (inputs: { weight: number; progress: number }[]) => {
      const weights = inputs.reduce((sum, i) => sum + i.weight, 0);
      if (weights === 0) return null;
      const sum = inputs.reduce((s, i) => s + i.weight * Math.round(i.progress * 100), 0);
      return Math.floor((2 * sum + weights) / (2 * weights)) / 100;
    };
    for (const commitment of commitments) {
      const own = milestones.filter(
        (m) => m.commitmentId === commitment.id && m.status !== 'cancelled',
      );
      expect(commitment.progress).toBe(mean(own as { weight: number; progress: number }[]));
    }
    expect(commitments.some((c) => c.progress !== null)).toBe(true);
    for (const plan of plans) {
      const counted = commitments.filter(
        (c) =>
          c.actionPlanId === plan.id &&
          !['draft', 'withdrawn'].includes(c.status) &&
          c.progress !== null,
      );
      expect(plan.countedCommitments).toBe(counted.length);
      expect(plan.progress).toBe(
        mean(counted.map((c) => ({ weight: c.planWeight, progress: c.progress }))),
      );
    }
    const api = await graphql<Data>(
      server.url,
      '{ actionPlans(first: 100) { edges { node { id progress { value } } } } }',
    );
    expect(api.body.errors).toBeUndefined();
    const served = (api.body.data?.actionPlans.edges as Data[]).map(({ node }) => [
      node.id,
      node.progress.value ?? null,
    ]);
    expect(plans.map((p) => [p.id, p.progress])).toEqual(served);
  });

  it('publishes assessments current and superseded, with their evidence hashes', async () => {
    const { text } = await fetchText('assessments.json');
    const { rows } = JSON.parse(text) as { rows: Data[] };
    const ids = rows.map((r) => r.id);
    expect(rows.map((r) => [r.completion, r.current])).toEqual([
      ['substantial', false],
      ['limited', true],
    ]);
    expect(rows[0].supersededBy).toBe(ids[1]);
    expect(rows[1].supersedes).toBe(ids[0]);
    expect(rows[1].openGovernmentValues).toEqual(['transparency', 'public_accountability']);
    const evidence = await fetchText('assessment-evidence.json');
    const evidenceRows = (JSON.parse(evidence.text) as { rows: Data[] }).rows;
    expect(evidenceRows.map((r) => [r.assessmentId, r.ordinal, r.sha256])).toEqual(
      ids.map((id) => [id, 0, 'ab'.repeat(32)]),
    );
  });

  it("publishes the red flags the API reports at the package's instant, never at the clock's", async () => {
    const { text } = await fetchText('red-flags.json');
    const body = JSON.parse(text) as { asOf: string; rows: Data[] };
    expect(body.asOf).toBe(descriptor.cuenta.asOf);
    const api = await graphql<Data>(
      server.url,
      `
        query ($asOf: DateTime!) {
          redFlags(asOf: $asOf, first: 100) {
            totalCount
            edges {
              node {
                id
                rule
                ruleVersion
                subject {
                  kind
                  id
                  commitmentIds
                }
                raisedAt
                closedAt
                state
                evidence
                justifications {
                  position
                }
              }
            }
          }
        }
      `,
      { asOf: body.asOf },
    );
    expect(api.body.errors).toBeUndefined();
    const second = (at: string | null) => (at === null ? null : `${at.slice(0, 19)}Z`);
    const flags = (api.body.data?.redFlags.edges as Data[]).map(({ node }) => ({
      id: node.id,
      rule: node.rule,
      ruleVersion: node.ruleVersion,
      subjectKind: String(node.subject.kind).toLowerCase(),
      subjectId: node.subject.id,
      commitmentIds: node.subject.commitmentIds,
      raisedAt: second(node.raisedAt),
      closedAt: second(node.closedAt),
      state: String(node.state).toLowerCase(),
      evidence: (node.evidence as number[]).map(String),
      justifications: node.justifications.length,
    }));
    const byId = (a: Data, b: Data) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    expect(body.rows.length).toBeGreaterThan(0);
    expect(api.body.data?.redFlags.totalCount).toBe(flags.length);
    expect([...body.rows].sort(byId)).toEqual(flags.sort(byId));
  });

  it('answers 304 to a client that has the cut, by its ETag', async () => {
    const first = await fetchText('commitments.csv');
    const etag = first.response.headers.get('etag') ?? '';
    expect(etag).toBe(`"v1-${descriptor.cuenta.logSize}"`);
    const again = await fetchText('commitments.csv', { 'If-None-Match': etag });
    expect(again.response.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('answers 404 naming the published resources for anything else', async () => {
    for (const file of ['citizens.csv', 'commitments.xlsx', 'commitments']) {
      const { response, text } = await fetchText(file);
      expect(response.status).toBe(404);
      expect(text).toContain(`no open-data resource "${file}"`);
      expect(text).toContain('action-plans, commitments, milestones, budget');
    }
  });
});

describe('cuenta open-data <dir>', () => {
  it('writes the same package as the server serves, and it validates', async () => {
    const dir = path.join(work, 'cli');
    const { code, stdout, stderr } = await runNode(CLI, ['open-data', dir], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const served = await mkdtemp(path.join(work, 'served-'));
    const descriptor = await downloadPackage(server.url, served);
    expect(stdout).toContain(`cut at log size ${descriptor.cuenta.logSize}`);
    const validated = await validatePackage(dir);
    expect(validated.errors).toEqual([]);
    expect(validated.failures).toEqual({});
    for (const resource of descriptor.resources) {
      expect(await readFile(path.join(dir, resource.path), 'utf8')).toBe(
        await readFile(path.join(served, resource.path), 'utf8'),
      );
    }
    const written = JSON.parse(
      await readFile(path.join(dir, 'datapackage.json'), 'utf8'),
    ) as PackageDescriptor;
    expect(written).toEqual(descriptor);
  });

  it('refuses a directory that is not empty, and a bad flag, writing nothing', async () => {
    const dir = await mkdtemp(path.join(work, 'full-'));
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    const full = await runNode(CLI, ['open-data', dir], env);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain(`${dir} is not empty (it holds notes.txt)`);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    const bad = await runNode(
      CLI,
      ['open-data', path.join(work, 'never'), '--wait-seconds', 'soon'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--wait-seconds must be a whole number of seconds');
    await expect(readdir(path.join(work, 'never'))).rejects.toThrow('ENOENT');
  });
});
