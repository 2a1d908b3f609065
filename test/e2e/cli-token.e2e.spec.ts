import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { PostgresEventStore } from '#event-store';
import { bearer, PROBE_SERVER } from '../support/access.js';
import { cartagenaRegistration } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';

// `cuenta token` (the built CLI) mints a token that the server on the same data folder
// accepts: what a newcomer does after `npm start`.

const CLI = 'dist/apps/cli/src/main.js';

describe('cuenta token', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-cli-'));
    server = await startServer(
      { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir, CUENTA_RATE_LIMIT_ANONYMOUS: '0' },
      30_000,
      PROBE_SERVER,
    );
    store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('mints a steward token the server accepts, without touching the database', async () => {
    const { code, stdout, stderr } = await runNode(
      CLI,
      ['token', '--role', 'steward', '--agency', 'planeacion', '--subject', 'ana', '--ttl', '10m'],
      { CUENTA_DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    );
    const token = stdout.trim();
    const { body } = await graphql(
      server.url,
      'mutation { probeStewardWrite(agency: "planeacion") { subject role agency } }',
      {},
      bearer(token),
    );
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([token, '']);
    expect(stderr).toMatch(
      /^steward token for planeacion, subject ana, valid until \S+Z; send it as "Authorization: Bearer <token>"\n$/,
    );
    expect(body).toEqual({
      data: { probeStewardWrite: { subject: 'ana', role: 'steward', agency: 'planeacion' } },
    });
  });

  it("mints a steward token for a lead agency's id, which writes that agency's commitments", async () => {
    const { code, stdout } = await runNode(
      CLI,
      ['token', '--role', 'steward', '--agency', 'alcaldia-cartagena', '--subject', 'ana'],
      { CUENTA_DATA_DIR: dataDir },
    );
    const { body } = await graphql(
      server.url,
      `
        mutation ($input: RegisterCommitmentInput!) {
          registerCommitment(input: $input) {
            streamVersion
          }
          probeStewardWrite(agency: "alcaldia-cartagena") {
            agency
          }
        }
      `,
      {
        input: cartagenaRegistration({
          commitmentId: 'cli-token-cartagena',
          code: 'CLI-Token-2023',
        }),
      },
      bearer(stdout.trim()),
    );
    const [registered] = await store.readStream('commitment-cli-token-cartagena');

    expect(code).toBe(0);
    expect(body).toEqual({
      data: {
        registerCommitment: { streamVersion: 1 },
        probeStewardWrite: { agency: 'alcaldia-cartagena' },
      },
    });
    expect(registered.metadata.actor).toEqual({
      subject: 'ana',
      role: 'steward',
      agency: 'alcaldia-cartagena',
    });
  });

  it('sets the lifetime from --ttl and defaults the subject to the role', async () => {
    const { code, stdout } = await runNode(CLI, ['token', '--role', 'oversight', '--ttl', '2h'], {
      CUENTA_DATA_DIR: dataDir,
    });
    const claims = decodeJwt(stdout.trim());
    expect(code).toBe(0);
    expect((claims.exp as number) - (claims.iat as number)).toBe(7200);
    expect(claims).toMatchObject({
      sub: 'local-oversight',
      iss: 'urn:cuenta:local',
      aud: 'cuenta',
      cuenta_roles: ['oversight'],
    });
  });

  it('creates the local key on first use, readable by its owner only', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'cuenta-cli-fresh-'));
    try {
      const { code } = await runNode(CLI, ['token', '--role', 'administrator'], {
        CUENTA_DATA_DIR: fresh,
      });
      const key = await stat(path.join(fresh, 'keys', 'token-signing-ed25519.pem'));
      expect(code).toBe(0);
      expect(key.mode & 0o777).toBe(0o600);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  const refusals: Array<[string[], string]> = [
    [['token'], 'cuenta token: --role is required (see cuenta token --help)'],
    [
      ['token', '--role', 'mayor'],
      'cuenta token: --role must be one of citizen, steward, moderator, oversight, internal_control, administrator (got "mayor") (see cuenta token --help)',
    ],
    [
      ['token', '--role', 'steward'],
      'cuenta token: a steward token needs --agency <id> (the agency it writes for) (see cuenta token --help)',
    ],
    [
      ['token', '--role', 'steward', '--agency', "District Mayor's Office of Cartagena de Indias"],
      'cuenta token: --agency must be an agency id: 1 to 64 lower-case letters (a-z) and digits, in groups joined by single hyphens (e.g. secretaria-de-planeacion) (got "District Mayor\'s Office of Cartagena de Indias") (see cuenta token --help)',
    ],
    [
      ['token', '--role', 'steward', '--agency', 'Planeacion'],
      'cuenta token: --agency must be an agency id: 1 to 64 lower-case letters (a-z) and digits, in groups joined by single hyphens (e.g. secretaria-de-planeacion) (got "Planeacion") (see cuenta token --help)',
    ],
    [
      ['token', '--role', 'moderator', '--agency', 'x'],
      'cuenta token: --agency binds stewards only; leave it out for other roles (see cuenta token --help)',
    ],
    [
      ['token', '--role', 'moderator', '--ttl', '1y'],
      'cuenta token: --ttl must be a duration such as 90s, 30m, 8h or 7d, at most 30d (got "1y") (see cuenta token --help)',
    ],
    [
      ['token', '--role', 'moderator', '--color'],
      "cuenta token: Unknown option '--color' (see cuenta token --help)",
    ],
  ];
  for (const [args, message] of refusals) {
    it(`refuses ${args.slice(1).join(' ') || 'no flags'} with one line and exit code 2`, async () => {
      const { code, stdout, stderr } = await runNode(CLI, args, { CUENTA_DATA_DIR: dataDir });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`${message}\n`);
    });
  }

  it('refuses to mint when tokens come from an identity provider', async () => {
    const { code, stdout, stderr } = await runNode(CLI, ['token', '--role', 'moderator'], {
      CUENTA_DATA_DIR: dataDir,
      CUENTA_OIDC_ISSUER: 'https://sso.example.org/realms/cuenta',
      CUENTA_JWT_AUDIENCE: 'cuenta-api',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('cuenta token mints only for the embedded default');
  });

  it('lists the commands and exits 2 for an unknown command', async () => {
    const { code, stderr } = await runNode(CLI, ['frobnicate'], {});
    expect(code).toBe(2);
    expect(stderr).toContain('cuenta: unknown command "frobnicate"');
    expect(stderr).toMatch(/^ {2}token +mint a bearer token/m);
  });
});
