import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { canonicalize } from '#ledger';
import { SALT_BYTES, type PersonalKind } from './personal-data.js';

/*
 * Encryption at rest of personal values, with node:crypto's AES-256-GCM only: a random 96-bit
 * IV per encryption, a 128-bit tag, and authenticated data that binds each ciphertext to its
 * row, so a ciphertext copied to another row or subject does not decrypt.
 *
 * - A subject's data key (32 random bytes) is stored only wrapped by the key-encryption key
 *   (KEK): iv (12) || ciphertext (32) || tag (16), bound to the subject id.
 * - A value is encrypted under its subject's data key: the plaintext is the 32-byte salt
 *   followed by the UTF-8 bytes of the value's RFC 8785 canonical JSON.
 */

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const WRAPPED_KEY_BYTES = IV_BYTES + KEY_BYTES + TAG_BYTES;

/** What a value's ciphertext is bound to: the columns of its row. */
export interface ValueBinding {
  subjectId: string;
  valueId: string;
  eventId: string;
  path: string;
  kind: PersonalKind;
}

export interface SealedBytes {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/** A short public name of a KEK (16 hex digits of its SHA-256), stored beside what it wrapped. */
export function kekId(kek: Uint8Array): string {
  return createHash('sha256')
    .update('cuenta personal-data kek\n')
    .update(kek)
    .digest('hex')
    .slice(0, 16);
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function wrapDataKey(kek: Uint8Array, subjectId: string, dataKey: Uint8Array): Buffer {
  const { ciphertext, iv, tag } = encrypt(kek, keyBinding(subjectId), dataKey);
  return Buffer.concat([iv, ciphertext, tag]);
}

/** Throws when `wrapped` was not made by this KEK for this subject. */
export function unwrapDataKey(kek: Uint8Array, subjectId: string, wrapped: Uint8Array): Buffer {
  if (wrapped.length !== WRAPPED_KEY_BYTES) throw new Error('a wrapped key is 60 bytes');
  const bytes = Buffer.from(wrapped);
  return decrypt(kek, keyBinding(subjectId), {
    iv: bytes.subarray(0, IV_BYTES),
    ciphertext: bytes.subarray(IV_BYTES, IV_BYTES + KEY_BYTES),
    tag: bytes.subarray(IV_BYTES + KEY_BYTES),
  });
}

export function encryptValue(
  dataKey: Uint8Array,
  binding: ValueBinding,
  value: JsonValue,
  salt: Uint8Array,
): SealedBytes {
  if (salt.length !== SALT_BYTES) throw new RangeError(`a salt is ${SALT_BYTES} bytes`);
  const plaintext = Buffer.concat([salt, Buffer.from(canonicalize(value), 'utf8')]);
  try {
    return encrypt(dataKey, valueBinding(binding), plaintext);
  } finally {
    plaintext.fill(0);
  }
}

/** The value and its salt; throws when the bytes or the binding were altered. */
export function decryptValue(
  dataKey: Uint8Array,
  binding: ValueBinding,
  sealed: SealedBytes,
): { value: JsonValue; salt: Buffer } {
  const plaintext = decrypt(dataKey, valueBinding(binding), sealed);
  const salt = Buffer.from(plaintext.subarray(0, SALT_BYTES));
  const value = JSON.parse(plaintext.subarray(SALT_BYTES).toString('utf8')) as JsonValue;
  plaintext.fill(0);
  return { value, salt };
}

function keyBinding(subjectId: string): Buffer {
  return Buffer.from(`cuenta personal-data key v1\n${subjectId}`, 'utf8');
}

function valueBinding(binding: ValueBinding): Buffer {
  const { subjectId, valueId, eventId, path, kind } = binding;
  return Buffer.from(
    `cuenta personal-data value v1\n${subjectId}\n${valueId}\n${eventId}\n${kind}\n${path}`,
    'utf8',
  );
}

function encrypt(key: Uint8Array, aad: Buffer, plaintext: Uint8Array): SealedBytes {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

function decrypt(key: Uint8Array, aad: Buffer, sealed: SealedBytes): Buffer {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new Error('an IV is 12 bytes and a tag 16');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}
