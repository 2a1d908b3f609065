import { describe, expect, it } from '@jest/globals';

import { hex, readFixture, toHex } from '../../test/support/fixtures.js';
import {
  CosignatureQuorumError,
  InvalidArgumentError,
  InvalidProofError,
  InvalidSignatureError,
  MalformedTlogProofError,
  OriginMismatchError,
  RootMismatchError,
} from '../errors.js';
import { leafHash } from '../merkle/hash.js';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from './tlog-proof.js';

const line = (path: string) => readFixture(path).trimEnd();
const LOG_VKEY = line('checkpoint/test-log.vkey');
const DEFENSORIA = line('checkpoint/witness-defensoria.vkey');
const CONTRALORIA = line('checkpoint/witness-contraloria.vkey');
const COSIGNED = readFixture('checkpoint/size-8-cosigned.checkpoint');
const PROOF = readFixture('checkpoint/leaf-3-of-8.tlog-proof');
const PROOF_WITH_EXTRA = readFixture('checkpoint/leaf-3-of-8-with-extra.tlog-proof');
const LEAF_3 = hex('2021');

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('tlog-proof format', () => {
  it('parses the golden proof into index, proof hashes and the verbatim checkpoint', () => {
    const parsed = parseTlogProof(PROOF);
    expect(parsed.index).toBe(3);
    expect(parsed.extraData).toBeUndefined();
    expect(parsed.inclusionProof.map(toHex)).toEqual([
      '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(parsed.signedCheckpoint).toBe(COSIGNED);
  });

  it('writes header, optional extra, index, one hash per line, a blank line, the checkpoint', () => {
    const parsed = parseTlogProof(PROOF_WITH_EXTRA);
    expect(new TextDecoder().decode(parsed.extraData)).toBe('cuenta event 3');
    expect(formatTlogProof(parsed)).toBe(PROOF_WITH_EXTRA);
    expect(formatTlogProof(parseTlogProof(PROOF))).toBe(PROOF);
    expect(PROOF_WITH_EXTRA.split('\n').slice(0, 3)).toEqual([
      'c2sp.org/tlog-proof@v1',
      'extra Y3VlbnRhIGV2ZW50IDM=',
      'index 3',
    ]);
  });

  it('round-trips a proof with no hashes (a one-leaf tree)', () => {
    const text = formatTlogProof({ index: 0, inclusionProof: [], signedCheckpoint: COSIGNED });
    expect(text).toBe(`c2sp.org/tlog-proof@v1\nindex 0\n\n${COSIGNED}`);
    expect(parseTlogProof(text)).toEqual({
      index: 0,
      inclusionProof: [],
      signedCheckpoint: COSIGNED,
    });
  });

  it.each([
    ['another header', PROOF.replace('tlog-proof@v1', 'tlog-proof@v2')],
    ['a leading zero in the index', PROOF.replace('index 3', 'index 03')],
    ['a missing index', PROOF.replace('index 3\n', '')],
    ['a short hash line', PROOF.replace('ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=', 'ApjR')],
    ['bad extra data', PROOF_WITH_EXTRA.replace('extra Y3Vl', 'extra !3Vl')],
    ['no blank line', 'c2sp.org/tlog-proof@v1\nindex 3\n'],
    ['no checkpoint', 'c2sp.org/tlog-proof@v1\nindex 3\n\n'],
  ])('refuses %s', (_what, text) => {
    expect(thrown(() => parseTlogProof(text))).toBeInstanceOf(MalformedTlogProofError);
  });

  it('refuses to format bad input', () => {
    expect(() =>
      formatTlogProof({ index: -1, inclusionProof: [], signedCheckpoint: COSIGNED }),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      formatTlogProof({
        index: 0,
        inclusionProof: [new Uint8Array(3)],
        signedCheckpoint: COSIGNED,
      }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('verifyTlogProof', () => {
  it('verifies the golden proof from the leaf bytes or the leaf hash', () => {
    const result = verifyTlogProof({
      proofText: PROOF,
      leafBytes: LEAF_3,
      logKey: LOG_VKEY,
      witnessKeys: [DEFENSORIA, CONTRALORIA],
      minCosignatures: 2,
    });
    expect(result.index).toBe(3);
    expect(result.checkpoint.size).toBe(8);
    expect(result.cosignatures.map((c) => c.name)).toEqual([
      'witness.test/defensoria',
      'witness.test/contraloria',
    ]);
    expect(
      verifyTlogProof({ proofText: PROOF_WITH_EXTRA, leafHash: leafHash(LEAF_3), logKey: LOG_VKEY })
        .extraData,
    ).toEqual(new TextEncoder().encode('cuenta event 3'));
  });

  it('throws RootMismatchError for another entry', () => {
    expect(
      thrown(() => verifyTlogProof({ proofText: PROOF, leafBytes: hex('2022'), logKey: LOG_VKEY })),
    ).toBeInstanceOf(RootMismatchError);
  });

  it('throws RootMismatchError when the index is changed, InvalidProofError when out of range', () => {
    expect(
      thrown(() =>
        verifyTlogProof({
          proofText: PROOF.replace('index 3', 'index 2'),
          leafBytes: LEAF_3,
          logKey: LOG_VKEY,
        }),
      ),
    ).toBeInstanceOf(RootMismatchError);
    expect(
      thrown(() =>
        verifyTlogProof({
          proofText: PROOF.replace('index 3', 'index 8'),
          leafBytes: LEAF_3,
          logKey: LOG_VKEY,
        }),
      ),
    ).toBeInstanceOf(InvalidProofError);
  });

  it('rejects a checkpoint whose signature no longer matches', () => {
    const forged = PROOF.replace('\n8\n', '\n9\n');
    expect(
      thrown(() => verifyTlogProof({ proofText: forged, leafBytes: LEAF_3, logKey: LOG_VKEY })),
    ).toBeInstanceOf(InvalidSignatureError);
  });

  it('enforces the cosignature quorum', () => {
    const error = thrown(() =>
      verifyTlogProof({
        proofText: PROOF,
        leafBytes: LEAF_3,
        logKey: LOG_VKEY,
        witnessKeys: [DEFENSORIA],
        minCosignatures: 2,
      }),
    );
    expect(error).toBeInstanceOf(CosignatureQuorumError);
    expect((error as CosignatureQuorumError).found).toBe(1);
  });

  it('checks the origin, defaulting to the log key name', () => {
    expect(
      thrown(() =>
        verifyTlogProof({ proofText: PROOF, leafBytes: LEAF_3, logKey: LOG_VKEY, origin: 'other' }),
      ),
    ).toBeInstanceOf(OriginMismatchError);
  });

  it('needs exactly one of leafBytes and leafHash', () => {
    expect(() => verifyTlogProof({ proofText: PROOF, logKey: LOG_VKEY })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      verifyTlogProof({
        proofText: PROOF,
        logKey: LOG_VKEY,
        leafBytes: LEAF_3,
        leafHash: leafHash(LEAF_3),
      }),
    ).toThrow(InvalidArgumentError);
  });
});
