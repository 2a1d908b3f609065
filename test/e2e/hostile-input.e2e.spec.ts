import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { ERROR_CODES } from '../../apps/api/src/graphql/error-codes.js';
import { bearer, localTokens } from '../support/access.js';
import { cartagenaRegistration, recordCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server.js';

// A stream of hostile inputs against every mutation: text that is not I-JSON or holds NUL,
// instants that do not exist, bodies over the size limit, deep nesting, unknown fields and
// wrong types, as variables and as literals. Every answer must be an error with a code
// from the registry (docs/errors.md), never an internal error, and the log must not grow.

const DOCUMENTED = new Set(ERROR_CODES.map((entry) => entry.code));
const BODY_LIMIT = 102_400;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value nested `depth` levels deep in single-member objects. */
function nested(depth: number): Json {
  let value: Json = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Stands in a request for JSON too deep for JSON.stringify, spliced in by `withDeep`. */
const DEEP = '__deep__';

/** `body` with the `DEEP` placeholder replaced by objects nested `depth` levels deep. */
const withDeep = (body: string, depth: number) =>
  body.replace(`"${DEEP}"`, `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`);

/** Every path to a string in `value`, as lists of keys. */
function stringPaths(value: Json, at: string[] = []): string[][] {
  if (typeof value === 'string') return [at];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...at, key]));
}

/** `value` with the leaf at `at` replaced. */
function replaced(value: Json, at: string[], leaf: Json): Json {
  if (at.length === 0) return leaf;
  const [key, ...rest] = at;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string,
    Json
  >;
  copy[key] = replaced(copy[key], rest, leaf);
  return copy as Json;
}

/** Text the edge must refuse wherever it appears. */
const BAD_TEXT: Array<[string, string]> = [
  ['a lone high surrogate', 'Ca\ud800o'],
  ['a lone low surrogate', '\udc00'],
  ['NUL', 'acta\u0000'],
  ['a noncharacter', 'fin\uffff'],
];

const IMPOSSIBLE_INSTANTS = [
  '2024-02-30T10:00:00Z',
  '2023-02-29T10:00:00Z',
  '2023-13-01T00:00:00Z',
  '2023-03-01T24:00:00Z',
  '2023-03-01T10:60:00Z',
  '2023-03-01T10:00:60Z',
  '2023-03-01T10:00:00+25:00',
];

interface Attempt {
  what: string;
  body: string;
}

interface Outcome {
  what: string;
  status: number;
  codes: unknown[];
  data: unknown;
}

describe('hostile input', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  let commitmentId: string;

  const logSize = async (): Promise<number> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ledgerInfo { size } }' }),
    });
    const body = (await response.json()) as { data: { ledgerInfo: { size: number } } };
    return body.data.ledgerInfo.size;
  };

  const send = async ({ what, body }: Attempt): Promise<Outcome> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...steward },
      body,
    });
    const text = await response.text();
    let parsed: { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = { errors: [{ extensions: { code: `not JSON: ${text.slice(0, 80)}` } }] };
    }
    return {
      what,
      status: response.status,
      codes: (parsed.errors ?? []).map((error) => error.extensions?.code),
      data: parsed.data,
    };
  };

  /** What is wrong with an outcome: no error, an undocumented or internal code, a result. */
  const problems = (outcomes: Outcome[]) =>
    outcomes.filter(
      (outcome) =>
        outcome.codes.length === 0 ||
        outcome.codes.some(
          (code) =>
            typeof code !== 'string' || !DOCUMENTED.has(code) || code === 'INTERNAL_SERVER_ERROR',
        ) ||
        (outcome.data !== undefined &&
          outcome.data !== null &&
          Object.values(outcome.data as object).some((value) => value !== null)),
    );

  /** Sends every attempt; returns the outcomes that break the rules and how much the log grew. */
  const stream = async (attempts: Attempt[]) => {
    const before = await logSize();
    const outcomes: Outcome[] = [];
    for (const attempt of attempts) outcomes.push(await send(attempt));
    return { problems: problems(outcomes), appended: (await logSize()) - before, sent: outcomes };
  };

  const evidence = {
    kind: 'DOCUMENT',
    description: 'Acta del comité',
    fileName: 'acta.pdf',
    mediaType: 'application/pdf',
    sha256: 'a'.repeat(64),
  };

  /** Each mutation with an input a steward could send, against a published commitment. */
  const mutations = (): Array<[string, string, Record<string, Json>]> => {
    const suffix = randomBytes(4).toString('hex');
    return [
      [
        'registerCommitment',
        'RegisterCommitmentInput',
        cartagenaRegistration({
          commitmentId: `${CARTAGENA_2023_ID}-${suffix}`,
          code: `HOSTILE-${suffix}`,
        }) as unknown as Record<string, Json>,
      ],
      [
        'reviseCommitment',
        'ReviseCommitmentInput',
        {
          commitmentId,
          changes: { title: 'Nuevo título', stakeholders: ['JAC', 'Veeduría'] },
          reason: 'Ajuste pedido por el comité',
        },
      ],
      ['publishCommitment', 'PublishCommitmentInput', { commitmentId }],
      [
        'addMilestone',
        'AddMilestoneInput',
        {
          commitmentId,
          milestoneId: `m-${suffix}`,
          title: 'Hito nuevo',
          responsibleOffice: 'Oficina de participación',
          plannedStart: '2023-05',
          plannedEnd: '2023-06',
        },
      ],
      [
        'rescheduleMilestone',
        'RescheduleMilestoneInput',
        {
          commitmentId,
          milestoneId: 'm3',
          plannedStart: '2023-03',
          plannedEnd: '2023-04',
          reason: 'La consulta se aplazó',
        },
      ],
      [
        'reportProgress',
        'ReportProgressInput',
        { commitmentId, milestoneId: 'm5', percent: 40, note: 'Avance', evidence: [evidence] },
      ],
      [
        'completeMilestone',
        'CompleteMilestoneInput',
        { commitmentId, milestoneId: 'm1', note: 'Hecho', evidence: [evidence] },
      ],
      [
        'cancelMilestone',
        'CancelMilestoneInput',
        { commitmentId, milestoneId: 'm6', reason: 'Ya no aplica' },
      ],
      ['completeCommitment', 'CompleteCommitmentInput', { commitmentId, note: 'Cumplido' }],
      ['withdrawCommitment', 'WithdrawCommitmentInput', { commitmentId, reason: 'Retirado' }],
      [
        'recordBudget',
        'RecordBudgetInput',
        {
          commitmentId,
          lineId: 'linea-1',
          phase: 'PROPOSED',
          amountCop: 1_000_000,
          fundingSource: 'Recursos propios',
          reason: 'Presupuesto inicial',
        },
      ],
      [
        'correctEvent',
        'CorrectEventInput',
        {
          commitmentId,
          eventId: randomUUID(),
          reason: 'Error de digitación',
          corrected: { title: 'Título corregido' },
        },
      ],
    ];
  };

  const request = (name: string, inputType: string, input: Json) =>
    JSON.stringify({
      query: `mutation ($input: ${inputType}!) { ${name}(input: $input) { positions } }`,
      variables: { input },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-hostile-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
      CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
    });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
    commitmentId = `${CARTAGENA_2023_ID}-${randomBytes(4).toString('hex')}`;
    await recordCartagena(server.url, steward, {
      commitmentId,
      code: `HOSTILE-BASE-${randomBytes(4).toString('hex')}`,
    });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses text that is not I-JSON or holds NUL, in every string of every mutation', async () => {
    const attempts = mutations().flatMap(([name, type, input]) =>
      stringPaths(input).flatMap((at) =>
        BAD_TEXT.map(([kind, text]) => ({
          what: `${name} ${at.join('.')}: ${kind}`,
          body: request(name, type, replaced(input, at, text)),
        })),
      ),
    );
    const { problems, appended, sent } = await stream(attempts);
    expect(problems).toEqual([]);
    expect(appended).toBe(0);
    expect(sent.length).toBeGreaterThan(200);
    // BAD_USER_INPUT where the string stood for an enum value: GraphQL refuses it first.
    const enumPaths = sent
      .filter((outcome) => outcome.codes[0] === 'BAD_USER_INPUT')
      .map((outcome) => outcome.what.split(':')[0]);
    expect([...new Set(enumPaths)].sort()).toEqual([
      'completeMilestone evidence.0.kind',
      'recordBudget phase',
      'registerCommitment ogpValues.0.value',
      'registerCommitment ogpValues.1.value',
      'reportProgress evidence.0.kind',
    ]);
  });

  it('refuses instants that do not exist, in every mutation', async () => {
    const attempts = mutations().flatMap(([name, type, input]) =>
      IMPOSSIBLE_INSTANTS.map((occurredAt) => ({
        what: `${name} occurredAt ${occurredAt}`,
        body: request(name, type, { ...input, occurredAt }),
      })),
    );
    const { problems, appended, sent } = await stream(attempts);
    expect(problems).toEqual([]);
    expect(appended).toBe(0);
    expect(new Set(sent.map((outcome) => outcome.codes[0]))).toEqual(new Set(['INVALID_INPUT']));
  });

  it('refuses unknown fields, wrong types and missing input, in every mutation', async () => {
    const attempts = mutations().flatMap(([name, type, input]) => {
      const [first] = stringPaths(input);
      return [
        { what: `${name} unknown field`, body: request(name, type, { ...input, bogus: 1 }) },
        { what: `${name} number for text`, body: request(name, type, replaced(input, first, 5)) },
        { what: `${name} list for text`, body: request(name, type, replaced(input, first, ['x'])) },
        { what: `${name} input a string`, body: request(name, type, 'input') },
        { what: `${name} input null`, body: request(name, type, null) },
        { what: `${name} input a list`, body: request(name, type, [input]) },
        {
          what: `${name} expectedVersion text`,
          body: request(name, type, { ...input, expectedVersion: 'latest' }),
        },
        {
          what: `${name} occurredAt a number`,
          body: request(name, type, { ...input, occurredAt: 1_700_000_000 }),
        },
      ];
    });
    const { problems, appended } = await stream(attempts);
    expect(problems).toEqual([]);
    expect(appended).toBe(0);
  });

  it('refuses huge and deeply nested input, in every mutation', async () => {
    const attempts = mutations().flatMap(([name, type, input]) => {
      const [first] = stringPaths(input);
      return [
        {
          what: `${name} a string over the body limit`,
          body: request(name, type, replaced(input, first, 'a'.repeat(BODY_LIMIT + 1))),
        },
        {
          what: `${name} deep nesting for text`,
          body: withDeep(request(name, type, replaced(input, first, DEEP)), 15_000),
        },
        {
          what: `${name} deep nesting for the input`,
          body: withDeep(request(name, type, DEEP), 15_000),
        },
      ];
    });
    attempts.push(
      {
        what: 'correctEvent corrected nested deep',
        body: withDeep(
          request('correctEvent', 'CorrectEventInput', {
            commitmentId,
            eventId: randomUUID(),
            reason: 'r',
            corrected: DEEP,
          }),
          15_000,
        ),
      },
      {
        what: 'correctEvent corrected nested just too deep',
        body: request('correctEvent', 'CorrectEventInput', {
          commitmentId,
          eventId: randomUUID(),
          reason: 'r',
          corrected: nested(40),
        }),
      },
      {
        what: 'a literal nested deep',
        body: JSON.stringify({
          query: `mutation { correctEvent(input: { commitmentId: "${commitmentId}", eventId: "${randomUUID()}", reason: "r", corrected: ${'{a:'.repeat(3_000)}1${'}'.repeat(3_000)} }) { positions } }`,
        }),
      },
    );
    const { problems, appended } = await stream(attempts);
    expect(problems).toEqual([]);
    expect(appended).toBe(0);
  });

  it('refuses hostile literals: raw lone surrogates, NUL escapes, impossible instants', async () => {
    const withdraw = (reason: string, occurredAt = '2023-03-01T10:00:00Z') =>
      JSON.stringify({
        query: `mutation { withdrawCommitment(input: { commitmentId: "${commitmentId}", reason: "${reason}", occurredAt: "${occurredAt}" }) { positions } }`,
      });
    const { problems, appended, sent } = await stream([
      { what: 'raw lone surrogate in the text', body: withdraw('Ca\ud800o') },
      { what: 'escaped lone surrogate', body: withdraw('Ca\\ud800o') },
      { what: 'escaped NUL', body: withdraw('fin\\u0000') },
      { what: 'raw NUL', body: withdraw('fin\u0000') },
      { what: 'escaped noncharacter', body: withdraw('fin\\uFFFE') },
      { what: '30 February', body: withdraw('Retirado', '2024-02-30T10:00:00Z') },
      { what: 'hour 24', body: withdraw('Retirado', '2023-03-01T24:00:00Z') },
    ]);
    expect(problems).toEqual([]);
    expect(appended).toBe(0);
    expect(sent.map((outcome) => [outcome.what, outcome.codes[0]])).toEqual([
      ['raw lone surrogate in the text', 'GRAPHQL_PARSE_FAILED'],
      ['escaped lone surrogate', 'GRAPHQL_PARSE_FAILED'],
      ['escaped NUL', 'INVALID_INPUT'],
      ['raw NUL', 'INVALID_INPUT'],
      ['escaped noncharacter', 'INVALID_INPUT'],
      ['30 February', 'INVALID_INPUT'],
      ['hour 24', 'INVALID_INPUT'],
    ]);
  });

  it('refuses hostile cosignatures without signing or appending anything', async () => {
    const cosign = (cosignature: Json, size: Json) =>
      JSON.stringify({
        query:
          'mutation ($c: String!, $s: Int!) { submitCosignature(cosignature: $c, size: $s) { keyId } }',
        variables: { c: cosignature, s: size },
      });
    const { problems, appended } = await stream([
      { what: 'lone surrogate', body: cosign('— witness \ud800', 1) },
      { what: 'NUL', body: cosign('— witness\u0000 AAAA', 1) },
      { what: 'garbage', body: cosign('not a signature line', 1) },
      { what: 'negative size', body: cosign('— witness AAAA', -1) },
      { what: 'size as text', body: cosign('— witness AAAA', 'one') },
      { what: 'size too big for Int', body: cosign('— witness AAAA', 2 ** 40) },
      { what: 'huge line', body: cosign('a'.repeat(BODY_LIMIT + 1), 1) },
    ]);
    expect(problems).toEqual([]);
    expect(appended).toBe(0);
  });
});
