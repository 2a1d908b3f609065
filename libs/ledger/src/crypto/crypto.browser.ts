import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js';

/** SHA-256 of `data` (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** The 32-byte Ed25519 public key of a 32-byte seed (RFC 8032 "private key"). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  return ed25519.getPublicKey(seed);
}

/** A 64-byte RFC 8032 Ed25519 signature of `message` by the key with this 32-byte seed. */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  return ed25519.sign(message, seed);
}

/**
 * Whether `signature` is a valid Ed25519 signature of `message` by `publicKey`. Keys and
 * signatures of the wrong length, or keys that are not curve points, are simply invalid.
 * ZIP-215 leniency is off so that browsers accept exactly what Node (OpenSSL) and Go accept.
 */
export function ed25519Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** `length` cryptographically secure random bytes. */
export function randomBytes(length: number): Uint8Array {
  return nobleRandomBytes(length);
}
