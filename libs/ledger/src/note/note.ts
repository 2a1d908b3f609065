import { ed25519Sign, ed25519Verify } from '#ledger-crypto';

import { fromBase64, toBase64 } from '../encoding/base64.js';
import { concatBytes, utf8 } from '../encoding/bytes.js';
import { hasControlCharacter, hasLoneSurrogate } from '../encoding/text.js';
import {
  InvalidKeyError,
  InvalidSignatureError,
  MalformedNoteError,
  UnverifiedNoteError,
} from '../errors.js';
import {
  formatKeyId,
  keyNameProblem,
  parseSignerKey,
  parseVerifierKey,
  type KeyAlgorithm,
  type SignerKey,
  type VerifierKey,
} from './keys.js';

/** A signature line of a note, verified or not. */
export interface NoteSignature {
  /** Key name. */
  readonly name: string;
  /** Key ID, the first 4 signature bytes as a big-endian uint32. */
  readonly keyId: number;
  /** The base64 as it appears on the line (key ID and signature). */
  readonly base64: string;
}

export interface VerifiedSignature extends NoteSignature {
  readonly algorithm: KeyAlgorithm;
  /** For cosignature/v1: the witness's POSIX timestamp, in seconds. */
  readonly timestamp?: number;
}

export interface OpenedNote {
  /** The signed text, ending in a newline (without the blank line and the signatures). */
  readonly text: string;
  /** Signatures by known keys, all verified, in note order, one per key. */
  readonly verified: readonly VerifiedSignature[];
  /** Signatures by keys not among the verifiers, ignored as c2sp.org/signed-note requires. */
  readonly unverified: readonly NoteSignature[];
}

/**
 * Notes are rejected past this many signature lines, as Go's note.Open does
 * (c2sp.org/signed-note requires accepting at least 16).
 */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';
const COSIGNATURE_HEADER = 'cosignature/v1\n';

/**
 * Signs `text` with each signer (plain Ed25519, type 0x01) and returns the signed note:
 * the text, a blank line, then one `— <name> <base64(keyid || signature)>` line per signer.
 * Byte-for-byte what golang.org/x/mod/sumdb/note's Sign returns for a note without signatures.
 *
 * Preconditions: `text` ends with a newline and contains no control characters other than
 * newline; at least one signer; signers are key strings or parsed keys.
 */
export function signNote(text: string, signers: readonly (string | SignerKey)[]): string {
  assertNoteText(text);
  if (signers.length === 0) throw new InvalidKeyError('signing a note needs at least one signer');
  const message = utf8(text);
  let lines = '';
  for (const signer of signers) {
    const key = typeof signer === 'string' ? parseSignerKey(signer) : signer;
    const problem = keyNameProblem(key.name);
    if (problem) throw new InvalidKeyError(problem);
    const signature = ed25519Sign(key.seed, message);
    lines += signatureLine(key.name, concatBytes(keyIdBytes(key.keyId), signature));
  }
  return `${text}\n${lines}`;
}

/** `— <name> <base64(bytes)>\n`: one note signature line. */
export function signatureLine(name: string, bytes: Uint8Array): string {
  return `${SIGNATURE_PREFIX}${name} ${toBase64(bytes)}\n`;
}

/** The key ID as the 4 big-endian bytes that start a note signature. */
export function keyIdBytes(keyId: number): Uint8Array {
  return Uint8Array.of(keyId >>> 24, (keyId >>> 16) & 255, (keyId >>> 8) & 255, keyId & 255);
}

/**
 * Parses and verifies a signed note against known verifier keys (c2sp.org/signed-note, with
 * the semantics of Go's note.Open):
 * - a signature whose name and key ID match no verifier is ignored and reported in
 *   `unverified`;
 * - a signature by a known key must verify, else InvalidSignatureError (the whole note is
 *   rejected);
 * - repeated signatures by one key count once;
 * - if no known key signed, UnverifiedNoteError.
 * Malformed notes (control characters, no blank line before the signatures, a bad signature
 * line, more than MAX_NOTE_SIGNATURES lines) throw MalformedNoteError.
 *
 * Verifier keys of type `cosignature/v1` check timestamped witness cosignatures over the note
 * text (c2sp.org/tlog-cosignature); use them only on checkpoints.
 */
export function openNote(note: string, verifiers: readonly (string | VerifierKey)[]): OpenedNote {
  if (typeof note !== 'string') throw new MalformedNoteError('a note is text');
  if (hasLoneSurrogate(note)) throw new MalformedNoteError('not valid UTF-8');
  // Go's note.Open and the spec both reject every C0 control character except newline.
  if (hasControlCharacter(note, { allowNewline: true })) {
    throw new MalformedNoteError('contains control characters');
  }
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new MalformedNoteError('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) {
    throw new MalformedNoteError('the signature block must be non-empty and end with a newline');
  }

  const known = new Map<string, VerifierKey[]>();
  for (const verifier of verifiers) {
    const key = typeof verifier === 'string' ? parseVerifierKey(verifier) : verifier;
    const label = keyLabel(key.name, key.keyId);
    known.set(label, [...(known.get(label) ?? []), key]);
  }

  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new MalformedNoteError(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  }
  const message = utf8(text);
  const verified: VerifiedSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seenKeys = new Set<string>();
  const seenUnverifiedLines = new Set<string>();
  for (const line of lines) {
    const parsed = parseSignatureLine(line);
    const label = keyLabel(parsed.name, parsed.keyId);
    const candidates = known.get(label);
    if (candidates === undefined) {
      if (!seenUnverifiedLines.has(line)) {
        seenUnverifiedLines.add(line);
        unverified.push(parsed.signature);
      }
      continue;
    }
    if (candidates.length > 1) throw new InvalidKeyError(`ambiguous key ${label}`);
    if (seenKeys.has(label)) continue;
    seenKeys.add(label);
    const result = verifySignature(candidates[0], message, parsed.bytes);
    if (!result.valid) {
      throw new InvalidSignatureError({ keyName: parsed.name, keyId: parsed.keyId });
    }
    verified.push({ ...parsed.signature, algorithm: candidates[0].algorithm, ...result.extra });
  }
  if (verified.length === 0) {
    throw new UnverifiedNoteError(unverified.map((s) => keyLabel(s.name, s.keyId)));
  }
  return { text, verified, unverified };
}

/**
 * Parses one signature line (without its newline) into name, key ID and the signature bytes
 * after the key ID. Throws MalformedNoteError.
 */
export function parseSignatureLine(line: string): {
  name: string;
  keyId: number;
  bytes: Uint8Array;
  signature: NoteSignature;
} {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw new MalformedNoteError('a signature line starts with an em dash and a space');
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const base64 = space < 0 ? '' : rest.slice(space + 1);
  if (keyNameProblem(name) !== undefined) {
    throw new MalformedNoteError(`bad key name on signature line ${JSON.stringify(name)}`);
  }
  const raw = fromBase64(base64);
  if (raw === undefined || raw.length < 5) {
    throw new MalformedNoteError(`bad signature for ${name}: not base64 of at least 5 bytes`);
  }
  const keyId = ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0;
  return { name, keyId, bytes: raw.subarray(4), signature: { name, keyId, base64 } };
}

/** The message a cosignature/v1 signs: header, time line, then the checkpoint note text. */
export function cosignatureMessage(text: string, timestamp: number): string {
  return `${COSIGNATURE_HEADER}time ${timestamp}\n${text}`;
}

function verifySignature(
  key: VerifierKey,
  message: Uint8Array,
  bytes: Uint8Array,
): { valid: boolean; extra?: { timestamp: number } } {
  if (key.algorithm === 'ed25519') {
    return { valid: ed25519Verify(key.publicKey, message, bytes) };
  }
  // cosignature/v1: u64 big-endian timestamp, then the Ed25519 signature.
  if (bytes.length !== 8 + 64) return { valid: false };
  const timestamp = readUint64(bytes);
  if (timestamp === undefined) return { valid: false };
  const signed = concatBytes(utf8(`${COSIGNATURE_HEADER}time ${timestamp}\n`), message);
  return {
    valid: ed25519Verify(key.publicKey, signed, bytes.subarray(8)),
    extra: { timestamp },
  };
}

/** Big-endian u64 as a number, or undefined beyond 2^53 - 1 (no real POSIX time is). */
export function readUint64(bytes: Uint8Array): number | undefined {
  const high = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const low = ((bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0;
  const value = high * 2 ** 32 + low;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Big-endian u64 bytes of a non-negative safe integer. */
export function writeUint64(value: number): Uint8Array {
  const high = Math.floor(value / 2 ** 32);
  const low = value % 2 ** 32;
  return Uint8Array.of(
    high >>> 24,
    (high >>> 16) & 255,
    (high >>> 8) & 255,
    high & 255,
    low >>> 24,
    (low >>> 16) & 255,
    (low >>> 8) & 255,
    low & 255,
  );
}

function assertNoteText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) {
    throw new MalformedNoteError('note text must end with a newline');
  }
  if (hasLoneSurrogate(text)) throw new MalformedNoteError('not valid UTF-8');
  if (hasControlCharacter(text, { allowNewline: true })) {
    throw new MalformedNoteError('contains control characters');
  }
}

function keyLabel(name: string, keyId: number): string {
  return `${name}+${formatKeyId(keyId)}`;
}
