import { ed25519PublicKey, randomBytes, sha256 } from '#ledger-crypto';

import { fromBase64, toBase64 } from '../encoding/base64.js';
import { bytesEqual, concatBytes, utf8 } from '../encoding/bytes.js';
import { hasControlCharacter, hasLoneSurrogate } from '../encoding/text.js';
import { InvalidKeyError } from '../errors.js';

/** Signature type byte of plain Ed25519 note signatures (c2sp.org/signed-note). */
export const ED25519_TYPE = 0x01;
/** Signature type byte of timestamped Ed25519 witness cosignatures (c2sp.org/tlog-cosignature). */
export const COSIGNATURE_V1_TYPE = 0x04;

export type KeyAlgorithm = 'ed25519' | 'cosignature/v1';

/** A parsed signer (private) key: Ed25519 with a note key name. */
export interface SignerKey {
  readonly name: string;
  /** The key ID of its plain Ed25519 note signatures (type 0x01). */
  readonly keyId: number;
  /** 32-byte RFC 8032 private key (seed). Keep secret. */
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** A parsed verifier (public) key. */
export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: Uint8Array;
}

// Go's unicode.IsSpace outside Latin-1, which golang.org/x/mod/sumdb/note uses to reject names;
// Latin-1 spaces and the C0 controls (which could never appear in a note line) are checked
// with hasControlCharacter and the space test below.
const UNICODE_SPACE = /[ \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/** Why `name` cannot be a key name, or undefined when it can. */
export function keyNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name === '') return 'a key name must be a non-empty string';
  if (hasLoneSurrogate(name)) return 'a key name must be valid Unicode';
  if (name.includes('+')) return `a key name must not contain "+": ${JSON.stringify(name)}`;
  if (hasControlCharacter(name) || UNICODE_SPACE.test(name)) {
    return `a key name must not contain spaces or control characters: ${JSON.stringify(name)}`;
  }
  return undefined;
}

export function assertKeyName(name: string): void {
  const problem = keyNameProblem(name);
  if (problem) throw new InvalidKeyError(problem);
}

/**
 * The note key ID: the first 4 bytes of SHA-256(name || 0x0A || type || public key) as a
 * big-endian uint32 (c2sp.org/signed-note).
 */
export function keyIdFor(args: { name: string; type: number; publicKey: Uint8Array }): number {
  const digest = sha256(
    concatBytes(utf8(args.name), Uint8Array.of(0x0a, args.type), args.publicKey),
  );
  return ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
}

/** The 8 lowercase hex digits Go prints for a key ID. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/**
 * A new random Ed25519 signer key string, `PRIVATE+KEY+<name>+<keyid>+<base64(0x01 || seed)>`,
 * in golang.org/x/mod/sumdb/note's format. Keep it secret.
 */
export function generateSignerKey(name: string): string {
  assertKeyName(name);
  return formatSignerKey({ name, seed: randomBytes(32) });
}

/** The signer key string for a known 32-byte seed. */
export function formatSignerKey(args: { name: string; seed: Uint8Array }): string {
  assertKeyName(args.name);
  if (args.seed.length !== 32) throw new InvalidKeyError('an Ed25519 seed is 32 bytes');
  const publicKey = ed25519PublicKey(args.seed);
  const keyId = keyIdFor({ name: args.name, type: ED25519_TYPE, publicKey });
  const material = toBase64(concatBytes(Uint8Array.of(ED25519_TYPE), args.seed));
  return `PRIVATE+KEY+${args.name}+${formatKeyId(keyId)}+${material}`;
}

/**
 * Parses a `PRIVATE+KEY+<name>+<keyid>+<base64>` signer key. Throws InvalidKeyError when it is
 * malformed, is not Ed25519, or its key ID does not match the public key its seed derives.
 */
export function parseSignerKey(text: string): SignerKey {
  if (typeof text !== 'string' || !text.startsWith('PRIVATE+KEY+')) {
    throw new InvalidKeyError('a signer key starts with "PRIVATE+KEY+"');
  }
  const { name, keyId, material } = splitKey(text.slice('PRIVATE+KEY+'.length), 'signer');
  if (material[0] !== ED25519_TYPE) {
    throw new InvalidKeyError(`unknown signer key algorithm 0x${hexByte(material[0])}`);
  }
  if (material.length !== 33) throw new InvalidKeyError('an Ed25519 signer key holds 32 bytes');
  const seed = material.slice(1);
  const publicKey = ed25519PublicKey(seed);
  if (keyIdFor({ name, type: ED25519_TYPE, publicKey }) !== keyId) {
    throw new InvalidKeyError(`signer key ${name}: key ID does not match the key`);
  }
  return { name, keyId, seed, publicKey };
}

/**
 * Parses a `<name>+<keyid>+<base64(type || public key)>` verifier key ("vkey") of type 0x01
 * (Ed25519 note signatures) or 0x04 (Ed25519 cosignature/v1). Throws InvalidKeyError when it is
 * malformed, of another type, or its key ID does not match.
 */
export function parseVerifierKey(text: string): VerifierKey {
  if (typeof text !== 'string') throw new InvalidKeyError('a verifier key is a string');
  const { name, keyId, material } = splitKey(text, 'verifier');
  let algorithm: KeyAlgorithm;
  if (material[0] === ED25519_TYPE) algorithm = 'ed25519';
  else if (material[0] === COSIGNATURE_V1_TYPE) algorithm = 'cosignature/v1';
  else throw new InvalidKeyError(`unknown verifier key algorithm 0x${hexByte(material[0])}`);
  if (material.length !== 33) throw new InvalidKeyError('an Ed25519 verifier key holds 32 bytes');
  if (keyIdFor({ name, type: material[0], publicKey: material.slice(1) }) !== keyId) {
    throw new InvalidKeyError(`verifier key ${name}: key ID does not match the key`);
  }
  return { name, keyId, algorithm, publicKey: material.slice(1) };
}

/**
 * Parses a witness's verifier key for checking its cosignatures. The canonical form is a vkey
 * of type 0x04 (`<name>+<keyid>+<base64(0x04 || public key)>`, c2sp.org/tlog-cosignature). A
 * plain Ed25519 vkey (type 0x01, what `note.GenerateKey` prints) is also accepted and converted,
 * as transparency-dev/formats' NewVerifierForCosignatureV1 does: same name and public key, key
 * ID recomputed with type 0x04.
 */
export function parseWitnessKey(text: string): VerifierKey {
  const key = parseVerifierKey(text);
  if (key.algorithm === 'cosignature/v1') return key;
  return {
    name: key.name,
    algorithm: 'cosignature/v1',
    publicKey: key.publicKey,
    keyId: keyIdFor({ name: key.name, type: COSIGNATURE_V1_TYPE, publicKey: key.publicKey }),
  };
}

/** The verifier key string of a key: type 0x01 for `ed25519`, type 0x04 for `cosignature/v1`. */
export function formatVerifierKey(key: {
  name: string;
  algorithm: KeyAlgorithm;
  publicKey: Uint8Array;
}): string {
  assertKeyName(key.name);
  if (key.publicKey.length !== 32) throw new InvalidKeyError('an Ed25519 public key is 32 bytes');
  const type = key.algorithm === 'ed25519' ? ED25519_TYPE : COSIGNATURE_V1_TYPE;
  const keyId = keyIdFor({ name: key.name, type, publicKey: key.publicKey });
  const material = toBase64(concatBytes(Uint8Array.of(type), key.publicKey));
  return `${key.name}+${formatKeyId(keyId)}+${material}`;
}

/** The Ed25519 note verifier key (type 0x01) that checks signatures by `signer`. */
export function verifierKeyFor(signer: string | SignerKey): string {
  const key = typeof signer === 'string' ? parseSignerKey(signer) : signer;
  return formatVerifierKey({ name: key.name, algorithm: 'ed25519', publicKey: key.publicKey });
}

/** The cosignature/v1 verifier key (type 0x04) that checks cosignatures by `signer`. */
export function witnessVerifierKeyFor(signer: string | SignerKey): string {
  const key = typeof signer === 'string' ? parseSignerKey(signer) : signer;
  return formatVerifierKey({
    name: key.name,
    algorithm: 'cosignature/v1',
    publicKey: key.publicKey,
  });
}

/** Whether two verifier keys are the same key (name, algorithm and public key). */
export function sameVerifierKey(a: VerifierKey, b: VerifierKey): boolean {
  return a.name === b.name && a.algorithm === b.algorithm && bytesEqual(a.publicKey, b.publicKey);
}

function splitKey(
  text: string,
  kind: 'signer' | 'verifier',
): { name: string; keyId: number; material: Uint8Array } {
  // Base64 may itself contain '+', so only the first two '+' separate fields.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) {
    throw new InvalidKeyError(`a ${kind} key has the form <name>+<8 hex digits>+<base64>`);
  }
  const name = text.slice(0, first);
  const hash = text.slice(first + 1, second);
  const encoded = text.slice(second + 1);
  assertKeyName(name);
  if (!/^[0-9a-fA-F]{8}$/.test(hash)) {
    throw new InvalidKeyError(`the key ID of a ${kind} key is 8 hex digits, got "${hash}"`);
  }
  const material = fromBase64(encoded);
  if (material === undefined || material.length === 0) {
    throw new InvalidKeyError(`the key material of a ${kind} key is not standard base64`);
  }
  return { name, keyId: parseInt(hash, 16), material };
}

function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}
