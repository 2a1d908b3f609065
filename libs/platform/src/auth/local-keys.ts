import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { createPrivateFile } from '../keys/private-file.js';

/** The embedded default's token key pair (Ed25519), shared by the server and `cuenta token`. */
export interface LocalSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** RFC 7638 thumbprint of the public key, sent as the token header's `kid`. */
  kid: string;
  /** The PEM file holding the private key (mode 0600). */
  file: string;
}

export function localKeysDir(dataDir: string): string {
  return path.join(dataDir, 'keys');
}

/**
 * Reads `<dataDir>/keys/token-signing-ed25519.pem`, creating the key pair on first use.
 * Safe when the server and the CLI start at once: the file appears complete or not at all.
 */
export async function loadOrCreateLocalSigningKey(dataDir: string): Promise<LocalSigningKey> {
  const file = path.join(localKeysDir(dataDir), 'token-signing-ed25519.pem');
  const pem = await readOrCreatePrivateFile(file, () =>
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { privateKey, publicKey, kid, file };
}

/**
 * The secret that keys anonymous callers' pseudonymous ids, from `<dataDir>/keys` (created
 * on first use). Replicas of one deployment must share it: set CUENTA_ANONYMOUS_ID_SECRET.
 */
export async function loadOrCreateAnonymousIdSecret(dataDir: string): Promise<string> {
  const file = path.join(localKeysDir(dataDir), 'anonymous-id.secret');
  return (await readOrCreatePrivateFile(file, () => randomBytes(32).toString('base64url'))).trim();
}

/** Reads `file`, or writes `make()` to it with mode 0600 (folder 0700) if it does not exist. */
async function readOrCreatePrivateFile(file: string, make: () => string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await createPrivateFile(file, make());
  return readFile(file, 'utf8');
}
