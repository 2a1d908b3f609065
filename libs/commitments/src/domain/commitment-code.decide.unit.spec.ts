import { describe, expect, it } from '@jest/globals';

import {
  claimCode,
  codeChange,
  codeFieldOf,
  evolveCodeHolder,
  freeCode,
  releaseCode,
  type CodeHolder,
} from './commitment-code.decide.js';
import {
  COMMITMENT_CODE_STREAM_PREFIX,
  commitmentCodeStream,
  type CommitmentCodeEvent,
} from './commitment-code.events.js';
import { CommitmentCodeTaken } from './commitment.errors.js';
import { commitmentStream } from './commitment.events.js';
import { foldCommitment } from './commitment.evolve.js';
import { withIds } from '../../test/commitment.decider-spec.js';
import {
  correctEvent,
  corrected,
  histories,
  register,
  registered,
  revise,
  revised,
} from '../../test/commitment.fixtures.js';

const claimed = (commitmentId: string, code = 'CTG-2023-01'): CommitmentCodeEvent => ({
  type: 'CommitmentCodeClaimed',
  data: { code, commitmentId },
});
const released = (commitmentId: string, code = 'CTG-2023-01'): CommitmentCodeEvent => ({
  type: 'CommitmentCodeReleased',
  data: { code, commitmentId },
});
const holderAfter = (events: CommitmentCodeEvent[]): CodeHolder =>
  events.reduce(evolveCodeHolder, freeCode);
const claimBy = (commitmentId: string) => ({ code: 'ctg-2023-01', commitmentId, field: 'code' });

describe('the code stream', () => {
  it('is named by the code in lower case, apart from every commitment stream', () => {
    expect(commitmentCodeStream('CartagenaCuenta-2023')).toBe(
      'commitment.code-cartagenacuenta-2023',
    );
    expect(commitmentCodeStream('cartagenacuenta-2023')).toBe(
      commitmentCodeStream('CARTAGENACUENTA-2023'),
    );
    // `code-x` is a valid commitment id: its stream must not look like a code stream.
    expect(commitmentStream('code-x').startsWith(COMMITMENT_CODE_STREAM_PREFIX)).toBe(false);
    expect(commitmentCodeStream('x1').startsWith('commitment-')).toBe(false);
  });
});

describe('when the code is free', () => {
  it('lets any commitment claim it', () => {
    expect(claimCode(holderAfter([]), claimBy('c2'))).toEqual(claimed('c2', 'ctg-2023-01'));
    expect(claimCode(holderAfter([claimed('c1'), released('c1')]), claimBy('c2'))).toEqual(
      claimed('c2', 'ctg-2023-01'),
    );
  });

  it('has nothing to release', () => {
    expect(releaseCode(holderAfter([claimed('c1'), released('c1')]), 'c1')).toEqual([]);
  });
});

describe('when a commitment holds the code', () => {
  const holder = holderAfter([claimed('c1')]);

  it('lets the same commitment claim it again', () => {
    expect(claimCode(holder, claimBy('c1'))).toEqual(claimed('c1', 'ctg-2023-01'));
  });

  it('refuses another commitment, naming the code, the holder and the field', () => {
    let caught: unknown;
    try {
      claimCode(holder, { ...claimBy('c2'), field: 'changes.code' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommitmentCodeTaken);
    expect(caught).toMatchObject({
      code: 'COMMITMENT_CODE_TAKEN',
      category: 'INVALID_INPUT',
      field: 'changes.code',
      commitmentCode: 'ctg-2023-01',
      heldBy: 'c1',
    });
  });

  it('is released by its holder only, with the code as the holder spelled it', () => {
    expect(releaseCode(holder, 'c1')).toEqual([released('c1')]);
    expect(releaseCode(holder, 'c2')).toEqual([]);
  });
});

describe('codeChange', () => {
  const state = (events = histories.draft) => foldCommitment(withIds(events));

  it('gives a registration its code, with nothing to release', () => {
    expect(codeChange(state([]), state())).toEqual({ to: 'CTG-2023-01' });
  });

  it('gives a revision of the code the old and the new code', () => {
    const after = state([...histories.draft, revised({ code: 'CTG-2023-02' })]);
    expect(codeChange(state(), after)).toEqual({ from: 'CTG-2023-01', to: 'CTG-2023-02' });
  });

  it('sees no change in a change of case, or in a command that leaves the code', () => {
    const recased = state([...histories.draft, revised({ code: 'ctg-2023-01' })]);
    const retitled = state([...histories.draft, revised({ title: 'Otro título' })]);
    expect(codeChange(state(), recased)).toBeUndefined();
    expect(codeChange(state(), retitled)).toBeUndefined();
  });

  it('sees the code a correction restores', () => {
    const before = state([registered(), revised({ code: 'CTG-2023-02' })]);
    const after = state([
      registered(),
      revised({ code: 'CTG-2023-02' }),
      corrected({ correctedEventId: 'event-2', correctedEventType: 'CommitmentRevised' }),
    ]);
    expect(codeChange(before, after)).toEqual({ from: 'CTG-2023-02', to: 'CTG-2023-01' });
  });
});

describe('codeFieldOf', () => {
  it('names the input that set the code', () => {
    expect(codeFieldOf(register())).toBe('code');
    expect(codeFieldOf(revise({ code: 'CTG-2' }))).toBe('changes.code');
    expect(codeFieldOf(correctEvent({ corrected: { code: 'CTG-2' } }))).toBe('corrected.code');
    expect(codeFieldOf(correctEvent({ corrected: { changes: { code: 'CTG-2' } } }))).toBe(
      'corrected.changes.code',
    );
    expect(codeFieldOf(correctEvent({ corrected: undefined }))).toBe('eventId');
  });
});
