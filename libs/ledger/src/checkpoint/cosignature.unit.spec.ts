import { describe, expect, it } from '@jest/globals';

import { b64, readFixture } from '../../test/support/fixtures.js';
import {
  InvalidArgumentError,
  InvalidSignatureError,
  MalformedCheckpointError,
  MalformedNoteError,
  UnverifiedNoteError,
} from '../errors.js';
import { parseSignerKey, parseWitnessKey, verifierKeyFor } from '../note/keys.js';
import { openNote, parseSignatureLine, readUint64 } from '../note/note.js';
import { cosignCheckpoint, verifyCosignature } from './cosignature.js';
import { ed25519Verify } from '#ledger-crypto';

const line = (path: string) => readFixture(path).trimEnd();
const DEFENSORIA_SKEY = line('checkpoint/witness-defensoria.skey');
const DEFENSORIA = line('checkpoint/witness-defensoria.vkey');
const CONTRALORIA = line('checkpoint/witness-contraloria.vkey');
const COSIGNED = readFixture('checkpoint/size-8-cosigned.checkpoint');
const BODY = 'cuenta.test/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('cosignCheckpoint', () => {
  const cosignature = cosignCheckpoint({
    signerKey: DEFENSORIA_SKEY,
    checkpointBody: BODY,
    timestamp: 1700000000,
  });

  it('reproduces the golden cosignature line', () => {
    expect(COSIGNED).toContain(cosignature);
    expect(cosignature).toMatch(/^— witness\.test\/defensoria [A-Za-z0-9+/]{102}==\n$/);
  });

  it('lays out key ID (type 0x04), big-endian timestamp, then the Ed25519 signature', () => {
    const { keyId, bytes } = parseSignatureLine(cosignature.slice(0, -1));
    expect(keyId).toBe(parseWitnessKey(DEFENSORIA).keyId);
    expect(bytes).toHaveLength(72);
    expect(readUint64(bytes)).toBe(1700000000);
    const message = new TextEncoder().encode(`cosignature/v1\ntime 1700000000\n${BODY}`);
    const publicKey = parseSignerKey(DEFENSORIA_SKEY).publicKey;
    expect(ed25519Verify(publicKey, message, bytes.subarray(8))).toBe(true);
  });

  it('matches the layout of the C2SP tlog-cosignature example (timestamp after the key ID)', () => {
    // The witness line of the spec's example; its signed message shows `time 1679315147`.
    const example =
      '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';
    const { bytes } = parseSignatureLine(example);
    expect(bytes).toHaveLength(72);
    expect(readUint64(bytes)).toBe(1679315147);
  });

  it('reads the timestamp of a transparency-dev/formats cosignature vector', () => {
    const raw = b64(line('note/cosignature-v1-timestamp-1727964367.sig'));
    expect(readUint64(raw.subarray(4))).toBe(1727964367);
  });

  it('does not verify as a plain Ed25519 note signature by the same key', () => {
    const note = `${BODY}\n${cosignature}`;
    expect(thrown(() => openNote(note, [verifierKeyFor(DEFENSORIA_SKEY)]))).toBeInstanceOf(
      UnverifiedNoteError,
    );
  });

  it('refuses a body that is not a checkpoint and a bad timestamp', () => {
    expect(() =>
      cosignCheckpoint({ signerKey: DEFENSORIA_SKEY, checkpointBody: 'x\n', timestamp: 1 }),
    ).toThrow(MalformedCheckpointError);
    expect(() =>
      cosignCheckpoint({ signerKey: DEFENSORIA_SKEY, checkpointBody: BODY, timestamp: -1 }),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      cosignCheckpoint({ signerKey: DEFENSORIA_SKEY, checkpointBody: BODY, timestamp: 1.5 }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('verifyCosignature', () => {
  const cosignature = cosignCheckpoint({
    signerKey: DEFENSORIA_SKEY,
    checkpointBody: BODY,
    timestamp: 1700000000,
  });

  it('returns the witness and its timestamp, with or without the final newline', () => {
    const expected = {
      name: 'witness.test/defensoria',
      keyId: parseWitnessKey(DEFENSORIA).keyId,
      timestamp: 1700000000,
    };
    expect(
      verifyCosignature({
        line: cosignature,
        checkpointBody: BODY,
        witnessKeys: [CONTRALORIA, DEFENSORIA],
      }),
    ).toEqual(expected);
    expect(
      verifyCosignature({
        line: cosignature.trimEnd(),
        checkpointBody: BODY,
        witnessKeys: [DEFENSORIA],
      }),
    ).toEqual(expected);
  });

  it('accepts the witness key given as a plain Ed25519 vkey', () => {
    const plain = verifierKeyFor(DEFENSORIA_SKEY);
    expect(
      verifyCosignature({ line: cosignature, checkpointBody: BODY, witnessKeys: [plain] })
        .timestamp,
    ).toBe(1700000000);
  });

  it('throws InvalidSignatureError for another body or a changed timestamp', () => {
    const other = BODY.replace('\n8\n', '\n9\n');
    expect(
      thrown(() =>
        verifyCosignature({ line: cosignature, checkpointBody: other, witnessKeys: [DEFENSORIA] }),
      ),
    ).toBeInstanceOf(InvalidSignatureError);
    const { name, bytes, keyId } = parseSignatureLine(cosignature.trimEnd());
    const raw = new Uint8Array([
      keyId >>> 24,
      (keyId >>> 16) & 255,
      (keyId >>> 8) & 255,
      keyId & 255,
      ...bytes,
    ]);
    raw[11] ^= 1;
    const changed = `— ${name} ${Buffer.from(raw).toString('base64')}`;
    expect(
      thrown(() =>
        verifyCosignature({ line: changed, checkpointBody: BODY, witnessKeys: [DEFENSORIA] }),
      ),
    ).toBeInstanceOf(InvalidSignatureError);
  });

  it('throws UnverifiedNoteError for a witness it does not know', () => {
    expect(
      thrown(() =>
        verifyCosignature({ line: cosignature, checkpointBody: BODY, witnessKeys: [CONTRALORIA] }),
      ),
    ).toBeInstanceOf(UnverifiedNoteError);
  });

  it('throws MalformedNoteError for something that is not one signature line', () => {
    expect(() =>
      verifyCosignature({
        line: `${cosignature}${cosignature}`,
        checkpointBody: BODY,
        witnessKeys: [DEFENSORIA],
      }),
    ).toThrow(MalformedNoteError);
    expect(() =>
      verifyCosignature({
        line: 'witness.test/defensoria abc',
        checkpointBody: BODY,
        witnessKeys: [DEFENSORIA],
      }),
    ).toThrow(MalformedNoteError);
  });
});
