import { describe, expect, it } from '@jest/globals';
import { generateSignerKey, verifierKeyFor, witnessVerifierKeyFor } from '#ledger';
import {
  decideAddWitness,
  decideRemoveWitness,
  foldRoster,
  RosterRefusal,
} from './witness-roster.js';

const w1 = generateSignerKey('w1.example');
const w2 = generateSignerKey('w2.example');

describe('the witness roster', () => {
  it('folds additions and removals, in the order witnesses were added', () => {
    const added1 = decideAddWitness([], {
      url: 'https://w1.example/',
      verifierKey: witnessVerifierKeyFor(w1),
    });
    const roster1 = foldRoster([added1]);
    const added2 = decideAddWitness(roster1, {
      url: 'http://w2.example:7380/witness',
      verifierKey: verifierKeyFor(w2),
    });
    expect(foldRoster([added1, added2])).toEqual([
      { name: 'w1.example', verifierKey: witnessVerifierKeyFor(w1), url: 'https://w1.example' },
      // An Ed25519 key stands for its witness key, kept as type 0x04.
      {
        name: 'w2.example',
        verifierKey: witnessVerifierKeyFor(w2),
        url: 'http://w2.example:7380/witness',
      },
    ]);
    const removed = decideRemoveWitness(foldRoster([added1, added2]), 'w1.example');
    expect(removed).toEqual({
      type: 'WitnessRemoved',
      data: { name: 'w1.example', verifierKey: witnessVerifierKeyFor(w1) },
    });
    expect(foldRoster([added1, added2, removed]).map((w) => w.name)).toEqual(['w2.example']);
  });

  it('refuses a bad key, a URL that is not http(s), a name already trusted, an unknown name', () => {
    const roster = foldRoster([
      decideAddWitness([], { url: 'https://w1.example', verifierKey: witnessVerifierKeyFor(w1) }),
    ]);
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof RosterRefusal) return { field: error.field, rule: error.rule };
        throw error;
      }
      throw new Error('not refused');
    };
    expect(
      refusal(() => decideAddWitness(roster, { url: 'https://x', verifierKey: 'nope' })),
    ).toMatchObject({ field: 'verifierKey' });
    expect(
      refusal(() =>
        decideAddWitness(roster, { url: 'ftp://x', verifierKey: witnessVerifierKeyFor(w2) }),
      ),
    ).toMatchObject({ field: 'url' });
    expect(
      refusal(() =>
        decideAddWitness(roster, { url: 'https://x?a=1', verifierKey: witnessVerifierKeyFor(w2) }),
      ),
    ).toMatchObject({ field: 'url' });
    expect(
      refusal(() =>
        decideAddWitness(roster, { url: 'https://other', verifierKey: witnessVerifierKeyFor(w1) }),
      ),
    ).toEqual({
      field: 'verifierKey',
      rule: 'names the witness "w1.example", which the log already trusts; remove it first to replace it',
    });
    expect(refusal(() => decideRemoveWitness(roster, 'w2.example'))).toEqual({
      field: 'name',
      rule: 'is not a witness this log trusts (trusted: w1.example)',
    });
  });
});
