import { describe, expect, it } from '@jest/globals';
import { InvalidCommand } from '#kernel';
import { deciderSpec, TEST_NOW } from '../../../../../test/support/decider-spec.js';
import {
  fileKeyOfFlag,
  justificationDecider,
  type JustifyRedFlag,
  type RedFlagJustified,
} from './index.js';

const { given } = deciderSpec(justificationDecider);

const FLAG = 'CF-08/commitment:c1#1';
const justify = (data: Partial<JustifyRedFlag['data']> = {}): JustifyRedFlag => ({
  type: 'JustifyRedFlag',
  data: { flagId: FLAG, reason: 'La obra se suspendió', agencyId: 'alcaldia-cartagena', ...data },
});
const justified = (reason = 'La obra se suspendió'): RedFlagJustified => ({
  type: 'RedFlagJustified',
  data: {
    flagId: FLAG,
    reason,
    agencyId: 'alcaldia-cartagena',
    justifiedAt: TEST_NOW.toISOString(),
  },
});

describe('justifying a red flag', () => {
  describe('when the flag has no justification yet', () => {
    it('records the reason, trimmed, with the agency and the time', () => {
      given([])
        .when(justify({ reason: '  La obra se suspendió ' }))
        .then([justified()]);
    });
  });

  describe('when it was justified before', () => {
    it('records another, beside the first', () => {
      given([justified('primera')])
        .when(justify())
        .then([justified()]);
    });
  });

  describe('when the input is wrong', () => {
    it('refuses an empty reason, naming it', () => {
      given([])
        .when(justify({ reason: '  ' }))
        .thenFails(InvalidCommand, { field: 'reason' });
    });

    it('refuses a reason over 2000 characters', () => {
      given([])
        .when(justify({ reason: 'x'.repeat(2001) }))
        .thenFails(InvalidCommand, { field: 'reason', rule: 'too_long' });
    });

    it('refuses an id that is not a flag id', () => {
      given([])
        .when(justify({ flagId: 'CF-8/commitment:c1' }))
        .thenFails(InvalidCommand, { field: 'flagId', rule: 'format' });
    });
  });
});

describe('flag ids', () => {
  it('name the file they belong to', () => {
    expect(fileKeyOfFlag('CF-01/commitment:c1/milestone:m1#2')).toBe('commitment:c1');
    expect(fileKeyOfFlag('CF-13/evaluation:e-1#1')).toBe('evaluation:e-1');
    expect(fileKeyOfFlag('CF-12/commitment:c1/report:results_report/irm-2025#1')).toBe(
      'commitment:c1',
    );
    expect(fileKeyOfFlag('CF-08/commitment:c1')).toBeNull();
    expect(fileKeyOfFlag('CF-08/notes:c1#1')).toBeNull();
  });
});
