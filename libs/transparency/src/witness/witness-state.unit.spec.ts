import { describe, expect, it } from '@jest/globals';
import { generateSignerKey, verifierKeyFor } from '#ledger';
import { parseWitnessState, WITNESS_STATE_FORMAT } from './witness-state.js';

const logKey = verifierKeyFor(generateSignerKey('cuenta.example/cartagena'));
const valid = {
  format: WITNESS_STATE_FORMAT,
  origin: 'cuenta.example/cartagena',
  logKey,
  size: 12,
  rootHash: Buffer.alloc(32, 7).toString('base64'),
  checkpoint: 'cuenta.example/cartagena\n12\n...\n\n— sig\n',
  cosignedAt: '2023-11-14T22:13:20.000Z',
};

describe('parseWitnessState', () => {
  it('reads the state a witness wrote', () => {
    expect(parseWitnessState(JSON.stringify(valid))).toEqual(valid);
  });

  it('names what is wrong with a state it cannot trust', () => {
    const cases: [object, string][] = [
      [{ ...valid, format: 'other' }, `format must be "${WITNESS_STATE_FORMAT}"`],
      [{ ...valid, size: -1 }, 'size must be a non-negative integer'],
      [{ ...valid, rootHash: 'AAAA' }, 'rootHash must be base64 of 32 bytes'],
      [{ ...valid, origin: 'other.example/log' }, 'logKey must be named after origin'],
      [{ ...valid, checkpoint: undefined }, 'checkpoint must be a string'],
    ];
    for (const [state, reason] of cases) {
      expect(() => parseWitnessState(JSON.stringify(state))).toThrow(reason);
    }
    expect(() => parseWitnessState('null')).toThrow('expected a JSON object');
  });
});
