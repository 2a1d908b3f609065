import { ed25519Sign, ed25519Verify } from '#ledger-crypto';

import { concatBytes, utf8 } from '../encoding/bytes.js';
import {
  InvalidArgumentError,
  InvalidSignatureError,
  MalformedNoteError,
  UnverifiedNoteError,
} from '../errors.js';
import {
  COSIGNATURE_V1_TYPE,
  formatKeyId,
  keyIdFor,
  parseSignerKey,
  parseWitnessKey,
  type SignerKey,
  type VerifierKey,
} from '../note/keys.js';
import {
  cosignatureMessage,
  keyIdBytes,
  parseSignatureLine,
  readUint64,
  signatureLine,
  writeUint64,
} from '../note/note.js';
import { parseCheckpoint } from './checkpoint.js';

/**
 * A witness cosignature (c2sp.org/tlog-cosignature, Ed25519 "cosignature/v1") of a checkpoint
 * body: the signature line `— <name> base64(keyid || timestamp || signature)` followed by a
 * newline, ready to append to the signed checkpoint note. The key ID uses signature type 0x04;
 * the timestamp is 8 bytes big-endian; the Ed25519 signature covers
 * `cosignature/v1\ntime <timestamp>\n` followed by the body.
 *
 * Preconditions (else InvalidArgumentError / MalformedCheckpointError): `checkpointBody` is a
 * valid checkpoint note body; `timestamp` is a POSIX time in whole seconds (a non-negative
 * safe integer). The witness must have checked consistency before calling this: the signature
 * states that this is the largest tree it has seen for the origin.
 */
export function cosignCheckpoint(args: {
  signerKey: string | SignerKey;
  checkpointBody: string;
  timestamp: number;
}): string {
  const key = typeof args.signerKey === 'string' ? parseSignerKey(args.signerKey) : args.signerKey;
  parseCheckpoint(args.checkpointBody);
  if (!Number.isSafeInteger(args.timestamp) || args.timestamp < 0) {
    throw new InvalidArgumentError('a cosignature timestamp is whole seconds since the epoch');
  }
  const keyId = keyIdFor({ name: key.name, type: COSIGNATURE_V1_TYPE, publicKey: key.publicKey });
  const signature = ed25519Sign(
    key.seed,
    utf8(cosignatureMessage(args.checkpointBody, args.timestamp)),
  );
  return signatureLine(
    key.name,
    concatBytes(keyIdBytes(keyId), writeUint64(args.timestamp), signature),
  );
}

export interface VerifiedCosignature {
  readonly name: string;
  readonly keyId: number;
  /** POSIX seconds at which the witness cosigned. */
  readonly timestamp: number;
}

/**
 * Verifies one cosignature line (with or without its final newline) over a checkpoint body
 * against the witness keys (see parseWitnessKey for the accepted key strings). Throws
 * UnverifiedNoteError when no witness key has the line's name and key ID,
 * InvalidSignatureError when the signature does not verify, MalformedNoteError for a bad line.
 */
export function verifyCosignature(args: {
  line: string;
  checkpointBody: string;
  witnessKeys: readonly (string | VerifierKey)[];
}): VerifiedCosignature {
  const line = args.line.endsWith('\n') ? args.line.slice(0, -1) : args.line;
  if (line.includes('\n')) throw new MalformedNoteError('a cosignature is a single line');
  const { name, keyId, bytes } = parseSignatureLine(line);
  const keys = args.witnessKeys.map((k) => (typeof k === 'string' ? parseWitnessKey(k) : k));
  const key = keys.find(
    (k) => k.algorithm === 'cosignature/v1' && k.name === name && k.keyId === keyId,
  );
  if (key === undefined) throw new UnverifiedNoteError([`${name}+${formatKeyId(keyId)}`]);
  const timestamp = bytes.length === 72 ? readUint64(bytes) : undefined;
  if (
    timestamp === undefined ||
    !ed25519Verify(
      key.publicKey,
      utf8(cosignatureMessage(args.checkpointBody, timestamp)),
      bytes.subarray(8),
    )
  ) {
    throw new InvalidSignatureError({ keyName: name, keyId });
  }
  return { name, keyId, timestamp };
}
