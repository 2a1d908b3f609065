import { describe, expect, it } from '@jest/globals';

import { b64, listFixtures, readFixture } from '../../test/support/fixtures.js';
import { InvalidProofError, RootMismatchError } from '../errors.js';
import { verifyConsistency, verifyInclusion } from './verify.js';

// transparency-dev/merkle testdata (commit 417fb0c3): every file is its own test case.

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const load = <T>(path: string) => JSON.parse(readFixture(path)) as T;

const outcome = (check: () => void): string => {
  try {
    check();
    return 'verified';
  } catch (error) {
    if (error instanceof InvalidProofError || error instanceof RootMismatchError) return 'rejected';
    throw error;
  }
};

describe('transparency-dev/merkle inclusion vectors', () => {
  const files = listFixtures('merkle/inclusion', '.json');

  it('are all present', () => {
    expect(files.length).toBe(98);
  });

  it.each(files)('%s', (path) => {
    const v = load<InclusionVector>(path);
    const check = () =>
      verifyInclusion({
        index: v.leafIdx,
        size: v.treeSize,
        leafHash: b64(v.leafHash),
        proof: (v.proof ?? []).map(b64),
        root: b64(v.root),
      });
    expect(outcome(check)).toBe(v.wantErr ? 'rejected' : 'verified');
  });
});

describe('transparency-dev/merkle consistency vectors', () => {
  const files = listFixtures('merkle/consistency', '.json');

  it('are all present', () => {
    expect(files.length).toBe(98);
  });

  it.each(files)('%s', (path) => {
    const v = load<ConsistencyVector>(path);
    const check = () =>
      verifyConsistency({
        size1: v.size1,
        size2: v.size2,
        proof: (v.proof ?? []).map(b64),
        root1: b64(v.root1),
        root2: b64(v.root2),
      });
    expect(outcome(check)).toBe(v.wantErr ? 'rejected' : 'verified');
  });

  it('accept size1 = 0 with an empty proof and the empty root only under allowEmptyOldTree', () => {
    const v = load<ConsistencyVector>(
      'merkle/consistency/additional/size1-is-zero-and-size2-is-not-zero.json',
    );
    const input = {
      size1: v.size1,
      size2: v.size2,
      proof: [],
      root1: b64(v.root1),
      root2: b64(v.root2),
    };
    expect(outcome(() => verifyConsistency(input))).toBe('rejected');
    expect(outcome(() => verifyConsistency(input, { allowEmptyOldTree: true }))).toBe('verified');
    for (const other of [
      'consistency-check-on-empty-tree-size1-is-zero-is-useless.json',
      'size1-is-zero-and-does-not-equal-size2.json',
      'sizes-are-equal-zero-and-proof-is-empty.json',
      'sizes-match-but-proof-is-not-empty-and-sizes-are-zero.json',
    ]) {
      const w = load<ConsistencyVector>(`merkle/consistency/additional/${other}`);
      const check = () =>
        verifyConsistency(
          {
            size1: w.size1,
            size2: w.size2,
            proof: (w.proof ?? []).map(b64),
            root1: b64(w.root1),
            root2: b64(w.root2),
          },
          { allowEmptyOldTree: true },
        );
      expect(outcome(check)).toBe('rejected');
    }
  });
});
