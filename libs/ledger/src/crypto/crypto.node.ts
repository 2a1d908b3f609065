import {
  createPrivateKey,
  createPublicKey,
  hash,
  randomBytes as nodeRandomBytes,
  sign,
  verify,
} from 'node:crypto';

// Node only accepts raw Ed25519 keys wrapped in DER; these fixed prefixes turn a 32-byte seed or
// public key into PKCS#8 and SPKI documents (RFC 8410).
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);

function withPrefix(prefix: Uint8Array, key: Uint8Array): Buffer {
  const der = Buffer.alloc(prefix.length + key.length);
  der.set(prefix, 0);
  der.set(key, prefix.length);
  return der;
}

function privateKeyOf(seed: Uint8Array) {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  return createPrivateKey({
    key: withPrefix(PKCS8_ED25519_PREFIX, seed),
    format: 'der',
    type: 'pkcs8',
  });
}

function view(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** SHA-256 of `data` (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  // One-shot crypto.hash (Node >= 20.12) costs about half of createHash for leaf-sized input,
  // and hashing leaves and nodes is most of the cost of verifying a bundle. The digest is taken
  // as a 'binary' (latin1) string, one character per byte, and copied into an array small
  // enough to live on V8's heap: a Buffer digest has a backing store of its own, whose
  // allocation and collection cost more than hashing a 65-byte node.
  const digest = hash('sha256', data, 'binary');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = digest.charCodeAt(i);
  return out;
}

/** The 32-byte Ed25519 public key of a 32-byte seed (RFC 8032 "private key"). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyOf(seed)).export({ format: 'der', type: 'spki' });
  return view(spki.subarray(SPKI_ED25519_PREFIX.length));
}

/** A 64-byte RFC 8032 Ed25519 signature of `message` by the key with this 32-byte seed. */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return view(sign(null, message, privateKeyOf(seed)));
}

/**
 * Whether `signature` is a valid Ed25519 signature of `message` by `publicKey`. Keys and
 * signatures of the wrong length, or keys that are not curve points, are simply invalid.
 */
export function ed25519Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({
      key: withPrefix(SPKI_ED25519_PREFIX, publicKey),
      format: 'der',
      type: 'spki',
    });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

/** `length` cryptographically secure random bytes. */
export function randomBytes(length: number): Uint8Array {
  return view(nodeRandomBytes(length));
}
