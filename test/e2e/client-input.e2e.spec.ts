import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import {
  bearer,
  localTokens,
  overWebSocket,
  PROBE_SERVER,
  waitForOutput,
} from '../support/access.js';
import { cartagenaRegistration, registerCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// What the edge refuses before any command runs: strings that are not I-JSON or hold NUL,
// and date-times that name no instant, for literals and variables alike. Each is
// INVALID_INPUT naming the field, and appends nothing. Refusals like these are the client's
// doing: the server logs them below ERROR, with no stack trace and no input value.

const REGISTER = `mutation ($input: RegisterCommitmentInput!) {
  registerCommitment(input: $input) { positions } }`;
const REPORT = `mutation ($input: ReportProgressInput!) {
  reportProgress(input: $input) { positions } }`;

interface Refusal {
  code: unknown;
  field: unknown;
}

describe('input the edge refuses', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  /** A published commitment (with its seven milestones) that reports can target. */
  let commitmentId: string;

  const logSize = async (): Promise<number> => {
    const { body } = await graphql<{ ledgerInfo: { size: number } }>(
      server.url,
      '{ ledgerInfo { size } }',
    );
    return body.data?.ledgerInfo.size ?? -1;
  };

  /** Sends a request that must be refused; returns the refusal and whether the log grew. */
  const refused = async (
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<Refusal & { appended: number }> => {
    const before = await logSize();
    const { body } = await graphql(server.url, query, variables, steward);
    const error = body.errors?.[0];
    return {
      code: error?.extensions?.code,
      field: error?.extensions?.field,
      appended: (await logSize()) - before,
    };
  };

  const fresh = () => {
    const suffix = randomBytes(4).toString('hex');
    return cartagenaRegistration({
      commitmentId: `${CARTAGENA_2023_ID}-${suffix}`,
      code: `EDGE-${suffix}`,
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-client-input-'));
    server = await startServer(
      {
        DATABASE_URL: database.url,
        CUENTA_DATA_DIR: dataDir,
        CUENTA_RATE_LIMIT_ANONYMOUS: '0',
        CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
        CUENTA_LOG_LEVEL: 'debug',
      },
      30_000,
      PROBE_SERVER,
    );
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
    const registration = fresh();
    commitmentId = registration.commitmentId;
    await registerCartagena(server.url, steward, registration);
    const published = await graphql(
      server.url,
      `mutation { publishCommitment(input: { commitmentId: "${commitmentId}" }) { positions } }`,
      undefined,
      steward,
    );
    expect(published.body.errors).toBeUndefined();
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  describe('strings that are not I-JSON, or hold NUL', () => {
    it('refuses a lone surrogate in a variable, naming the field', async () => {
      expect(await refused(REGISTER, { input: { ...fresh(), title: 'Ca\ud800o' } })).toEqual({
        code: 'INVALID_INPUT',
        field: 'title',
        appended: 0,
      });
    });

    it('refuses a lone low surrogate deep in a list', async () => {
      const evidence = {
        kind: 'DOCUMENT',
        description: 'acta \udc00',
        mediaType: 'application/pdf',
        sha256: 'a'.repeat(64),
      };
      expect(
        await refused(REPORT, {
          input: { commitmentId, milestoneId: 'm5', percent: 40, evidence: [evidence] },
        }),
      ).toEqual({ code: 'INVALID_INPUT', field: 'evidence.0.description', appended: 0 });
    });

    it('refuses NUL in a literal of a mutation and of a query', async () => {
      expect(
        await refused(
          `mutation { withdrawCommitment(input: { commitmentId: "${commitmentId}", reason: "no\\u0000" }) { positions } }`,
        ),
      ).toEqual({ code: 'INVALID_INPUT', field: 'reason', appended: 0 });
      expect(await refused('{ commitment(code: "EDGE\\u0000") { id } }')).toEqual({
        code: 'INVALID_INPUT',
        field: 'code',
        appended: 0,
      });
    });

    it('refuses a noncharacter, as I-JSON does', async () => {
      expect(await refused(REGISTER, { input: { ...fresh(), title: 'Plan \uffff' } })).toEqual({
        code: 'INVALID_INPUT',
        field: 'title',
        appended: 0,
      });
    });

    it('refuses the same over graphql-ws, for subscription arguments', async () => {
      const outcome = await overWebSocket(
        server.url,
        {},
        'subscription ($id: String!) { commitmentChanged(id: $id, limit: 1) { id } }',
        { id: 'CTG\ud800' },
      );
      const error = outcome.results[0]?.errors?.[0] ?? outcome.errors?.[0];
      expect([error?.extensions?.code, error?.extensions?.field]).toEqual(['INVALID_INPUT', 'id']);
    });

    it('accepts characters outside the BMP, written as surrogate pairs', async () => {
      const registration = { ...fresh(), title: 'Cartagena \ud83c\udf0a cuenta' };
      const { body } = await graphql(server.url, REGISTER, { input: registration }, steward);
      expect(body.errors).toBeUndefined();
      const read = await graphql(
        server.url,
        `
          {
            ledgerInfo {
              size
            }
          }
        `,
      );
      expect(read.body.data?.ledgerInfo.size).toBeGreaterThan(0);
    });
  });

  describe('date-times that name no instant', () => {
    it('refuses 30 February in a variable, naming the field and appending nothing', async () => {
      expect(
        await refused(REPORT, {
          input: {
            commitmentId,
            milestoneId: 'm5',
            percent: 40,
            occurredAt: '2024-02-30T10:00:00Z',
          },
        }),
      ).toEqual({ code: 'INVALID_INPUT', field: 'occurredAt', appended: 0 });
    });

    it('refuses 30 February in a literal argument', async () => {
      expect(
        await refused(`{ commitment(id: "${commitmentId}", asOf: "2024-02-30T00:00:00Z") { id } }`),
      ).toEqual({ code: 'INVALID_INPUT', field: 'asOf', appended: 0 });
    });

    it.each([
      ['a month 13', '2023-13-01T00:00:00Z'],
      ['hour 24', '2023-03-01T24:00:00Z'],
      ['minute 60', '2023-03-01T10:60:00Z'],
      ['29 February of a common year', '2023-02-29T10:00:00-05:00'],
      ['an offset of 24 hours', '2023-03-01T10:00:00+24:00'],
      ['no zone', '2023-03-01T10:00:00'],
    ])('refuses %s in a variable argument', async (_name, asOf) => {
      expect(
        await refused(
          `query ($asOf: DateTime) { commitment(id: "${commitmentId}", asOf: $asOf) { id } }`,
          {
            asOf,
          },
        ),
      ).toEqual({ code: 'INVALID_INPUT', field: 'asOf', appended: 0 });
    });

    it('still reads an instant that exists, with its offset', async () => {
      const { body } = await graphql(
        server.url,
        `{ commitment(id: "${commitmentId}", asOf: "2099-02-28T23:59:59.999-05:00") { id } }`,
      );
      expect(body).toEqual({ data: { commitment: { id: commitmentId } } });
    });
  });

  describe('the server log', () => {
    it('logs client errors below ERROR, without stack or values; faults stay ERROR', async () => {
      const { mint } = await localTokens(dataDir);
      const oversight = bearer(await mint({ role: 'oversight' }));
      const marker = `marker-${randomBytes(4).toString('hex')}`;
      const from = server.output().length;
      const errors = [
        // INVALID_INPUT from the edge, with a value that must not reach the log
        await graphql(
          server.url,
          REGISTER,
          { input: { ...fresh(), title: `${marker}\u0000` } },
          steward,
        ),
        // FORBIDDEN: oversight may not register
        await graphql(server.url, REGISTER, { input: { ...fresh(), title: marker } }, oversight),
        // a domain refusal: the milestone does not exist
        await graphql(
          server.url,
          REPORT,
          { input: { commitmentId, milestoneId: 'nope', percent: 10, note: marker } },
          steward,
        ),
        // GraphQL validation
        await graphql(server.url, `{ commitment(id: "${marker}") { nope } }`),
      ].map(({ body }) => body.errors?.[0]?.extensions?.code);
      expect(errors).toEqual([
        'INVALID_INPUT',
        'FORBIDDEN',
        'MILESTONE_NOT_FOUND',
        'GRAPHQL_VALIDATION_FAILED',
      ]);
      await waitForOutput(server, 'GRAPHQL_VALIDATION_FAILED', 10_000);
      const log = server.output().slice(from);
      expect(log.split('\n').filter((line) => line.includes('ERROR'))).toEqual([]);
      expect(log).not.toMatch(/^\s+at /m);
      expect(log).not.toContain(marker);
      for (const code of errors) expect(log).toContain(code);

      const fault = await graphql(server.url, '{ probeFailure }');
      const errorId = fault.body.errors?.[0]?.extensions?.errorId as string;
      const after = await waitForOutput(server, `internal error ${errorId}`);
      expect(
        after
          .slice(from)
          .split('\n')
          .filter((line) => line.includes('ERROR'))
          .map((line) => line.includes(`internal error ${errorId}`)),
      ).toEqual([true]);
    });
  });
});
