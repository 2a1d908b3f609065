import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../config/config.js';
import { loadOrCreateAnonymousIdSecret, loadOrCreateLocalSigningKey } from './local-keys.js';
import { mintLocalToken } from './token-minter.js';
import { tokenVerifierFor } from './token-verifier.js';

describe('the local keys of the embedded default', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-keys-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the signing key once, mode 0600 in a 0700 folder, and reads it back after', async () => {
    const created = await loadOrCreateLocalSigningKey(dataDir);
    const again = await loadOrCreateLocalSigningKey(dataDir);
    expect(created.file).toBe(path.join(dataDir, 'keys', 'token-signing-ed25519.pem'));
    expect((await stat(created.file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
    expect(again.kid).toBe(created.kid);
    expect(created.publicKey.asymmetricKeyType).toBe('ed25519');
  });

  it('ends with one key when the server and the CLI create it at once', async () => {
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => loadOrCreateLocalSigningKey(dataDir)),
    );
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
  });

  it('keeps one anonymous-id secret', async () => {
    const [first, second] = await Promise.all([
      loadOrCreateAnonymousIdSecret(dataDir),
      loadOrCreateAnonymousIdSecret(dataDir),
    ]);
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(second).toBe(first);
    expect((await stat(path.join(dataDir, 'keys', 'anonymous-id.secret'))).mode & 0o777).toBe(
      0o600,
    );
  });

  it('verifies what it mints, with the issuer, audience and claims of the configuration', async () => {
    const config = loadConfig(
      { CUENTA_DATA_DIR: dataDir, CUENTA_ROLES_CLAIM: 'realm_access.roles' },
      '/',
    );
    const verifier = await tokenVerifierFor(config.auth, config.dataDir);
    const { token, expiresAt } = await mintLocalToken({
      key: await loadOrCreateLocalSigningKey(config.dataDir),
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      rolesClaim: config.auth.rolesClaim,
      agenciesClaim: config.auth.agenciesClaim,
      subject: 'ana',
      role: 'steward',
      agencies: ['planeacion'],
      ttlSeconds: 120,
    });
    const { subject, payload } = await verifier.verify(token);
    expect(subject).toBe('ana');
    expect(payload).toMatchObject({
      iss: 'urn:cuenta:local',
      aud: 'cuenta',
      realm_access: { roles: ['steward'] },
      cuenta_agencies: ['planeacion'],
    });
    expect(expiresAt.getTime() / 1000).toBe(payload.exp);
  });

  it('reads a public key file, and names CUENTA_JWT_PUBLIC_KEY_FILE when it cannot', async () => {
    const key = await loadOrCreateLocalSigningKey(dataDir);
    const file = path.join(dataDir, 'public.pem');
    await writeFile(file, key.publicKey.export({ type: 'spki', format: 'pem' }));
    const env = { CUENTA_JWT_ISSUER: 'iss', CUENTA_JWT_AUDIENCE: 'aud' };
    const good = await tokenVerifierFor(
      loadConfig({ ...env, CUENTA_JWT_PUBLIC_KEY_FILE: file }, '/').auth,
      dataDir,
    );
    const missing = await tokenVerifierFor(
      loadConfig({ ...env, CUENTA_JWT_PUBLIC_KEY_FILE: `${file}.missing` }, '/').auth,
      dataDir,
    ).catch((e: unknown) => e);
    expect(good.description).toBe(`the public key in ${file}`);
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as ConfigError).message).toBe(
      `CUENTA_JWT_PUBLIC_KEY_FILE must be the path of a readable file holding a public key as PEM or JWK (got "${file}.missing")`,
    );
  });
});
