import { describe, expect, it } from '@jest/globals';
import { toBase64 } from '../encoding/base64.js';
import { InvalidArgumentError, InvalidProofError } from '../errors.js';
import { emptyRoot, leafHash, rootOf } from '../merkle/hash.js';
import { checkGrowth, decodeProofHashes, nextWitnessStep } from './witness-rules.js';

const leaves = [1, 2, 3].map((n) => leafHash(new Uint8Array([n])));
const root2 = rootOf(leaves.slice(0, 2));
const root3 = rootOf(leaves);
const cosigned = { size: 2, rootHash: toBase64(root2), cosignedAt: '2023-11-14T22:13:20.000Z' };

describe('nextWitnessStep', () => {
  it('checks a first contact from the empty tree', () => {
    expect(nextWitnessStep(undefined, { size: 3, rootHash: root3 })).toEqual({
      step: 'check-consistency',
      fromSize: 0,
      fromRoot: emptyRoot(),
    });
  });

  it('checks a larger tree from the one cosigned, and has nothing to do for the same one', () => {
    expect(nextWitnessStep(cosigned, { size: 3, rootHash: root3 })).toEqual({
      step: 'check-consistency',
      fromSize: 2,
      fromRoot: root2,
    });
    expect(nextWitnessStep(cosigned, { size: 2, rootHash: root2 })).toEqual({
      step: 'nothing-new',
    });
  });

  it('refuses a log that shrank, and another root at the size cosigned (a fork)', () => {
    expect(nextWitnessStep(cosigned, { size: 1, rootHash: leaves[0] })).toEqual({
      step: 'refuse',
      reason: expect.stringContaining('smaller than the size 2 this witness cosigned'),
    });
    expect(nextWitnessStep(cosigned, { size: 2, rootHash: root3 })).toEqual({
      step: 'refuse',
      reason: expect.stringContaining('two different trees of size 2'),
    });
  });
});

describe('checkGrowth', () => {
  const served = { size: 3, rootHash: root3 };
  const from = { size: 2, root: root2 };

  it('accepts a proof that the served tree extends the one cosigned', () => {
    expect(checkGrowth({ cosigned, from, served, proof: [leaves[2]] })).toEqual({
      consistent: true,
    });
  });

  it('names a proof that leads elsewhere as a rewritten history', () => {
    const growth = checkGrowth({ cosigned, from, served, proof: [leaves[0]] });
    expect(growth).toEqual({
      consistent: false,
      reason: expect.stringContaining('does not lead from the root cosigned then'),
    });
  });

  it('throws at first contact, where there is no history to rewrite', () => {
    const first = { size: 0, root: emptyRoot() };
    expect(() =>
      checkGrowth({
        cosigned: undefined,
        from: first,
        served,
        proof: [leaves[0]],
      }),
    ).toThrow(InvalidProofError);
  });
});

describe('decodeProofHashes', () => {
  it('decodes base64 hashes of 32 bytes and refuses any other', () => {
    expect(decodeProofHashes([toBase64(root2)])).toEqual([root2]);
    expect(() => decodeProofHashes(['AAAA'])).toThrow(InvalidArgumentError);
  });
});
