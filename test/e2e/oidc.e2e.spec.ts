import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, PROBE_SERVER, waitForOutput } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { providerKey, startProvider, type LocalProvider } from '../support/oidc-provider.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// The server configured for an OpenID Connect provider as docs/security.md describes for
// Keycloak: discovery from CUENTA_OIDC_ISSUER, realm roles in realm_access.roles.

describe('an OpenID Connect provider (Keycloak layout)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let provider: LocalProvider;
  let server: ServerProcess;
  const key = providerKey('realm-key-1');

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-oidc-'));
    provider = await startProvider({ audience: 'cuenta-api' });
    provider.publish([key]);
    server = await startServer(
      {
        DATABASE_URL: database.url,
        CUENTA_DATA_DIR: dataDir,
        CUENTA_OIDC_ISSUER: provider.issuer,
        CUENTA_JWT_AUDIENCE: 'cuenta-api',
        CUENTA_ROLES_CLAIM: 'realm_access.roles',
        CUENTA_AGENCIES_CLAIM: 'cuenta_agencies',
        CUENTA_RATE_LIMIT_ANONYMOUS: '0',
      },
      30_000,
      PROBE_SERVER,
    );
  });

  afterAll(async () => {
    await server?.stop();
    await provider?.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("accepts the provider's token, with roles from realm_access.roles and agencies from their claim", async () => {
    const token = await provider.sign(key, {
      sub: 'f3b1c2d4-keycloak-user',
      realm_access: { roles: ['default-roles-cuenta', 'offline_access', 'steward'] },
      cuenta_agencies: ['planeacion'],
    });
    const { body } = await graphql(
      server.url,
      '{ probeWhoAmI { subject role agencies } }',
      {},
      bearer(token),
    );
    expect(body).toEqual({
      data: {
        probeWhoAmI: {
          subject: 'f3b1c2d4-keycloak-user',
          role: 'steward',
          agencies: ['planeacion'],
        },
      },
    });
  });

  it('prints at start where tokens come from instead of the local minting hint', async () => {
    const api = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_OIDC_ISSUER: provider.issuer,
      CUENTA_JWT_AUDIENCE: 'cuenta-api',
      CUENTA_ROLES_CLAIM: 'realm_access.roles',
    });
    const output = await waitForOutput(api, 'bearer tokens from');
    await api.stop();
    expect(output).toContain(
      `bearer tokens from ${provider.issuer} (issuer ${provider.issuer}, audience cuenta-api, roles in "realm_access.roles")`,
    );
    expect(output).not.toContain('cuenta token');
  });

  it('refuses a token for another client of the realm (wrong audience)', async () => {
    const token = await provider.sign(
      key,
      { sub: 'u1', realm_access: { roles: ['administrator'] } },
      {
        audience: 'account',
      },
    );
    const { status, body } = await graphql(
      server.url,
      '{ probeWhoAmI { role } }',
      {},
      bearer(token),
    );
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'WRONG_AUDIENCE',
    });
  });

  it('refuses a token signed with a key the realm does not publish', async () => {
    const stranger = providerKey('not-published');
    const token = await provider.sign(stranger, {
      sub: 'u1',
      realm_access: { roles: ['administrator'] },
    });
    const { status, body } = await graphql(
      server.url,
      '{ probeWhoAmI { role } }',
      {},
      bearer(token),
    );
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'UNKNOWN_KEY' });
  });
});
