import { describe, expect, it } from '@jest/globals';

import { diffState } from './commitment.diff.js';
import type { CommitmentEvent } from './commitment.events.js';
import { foldCommitment } from './commitment.evolve.js';
import { initialState } from './commitment.state.js';
import {
  NOW,
  budgetRecorded,
  evidence,
  milestoneAdded,
  milestoneRescheduled,
  progressReported,
  published,
  registered,
  revised,
  started,
} from './testing/commitment.fixtures.js';
import { withIds } from './testing/decider-spec.js';

/** The diff that `event` makes after `history`, as the history view will show it. */
function diffOf(history: CommitmentEvent[], event: CommitmentEvent) {
  const events = withIds([...history, event]);
  return diffState(foldCommitment(events.slice(0, -1)), foldCommitment(events));
}

const draft: CommitmentEvent[] = [registered(), milestoneAdded('m1'), milestoneAdded('m2')];

describe('diffState', () => {
  it('is empty for equal states', () => {
    const state = foldCommitment(withIds(draft));
    expect(diffState(state, state)).toEqual([]);
  });

  it('shows a publication as the status and the new date', () => {
    expect(diffOf(draft, published(NOW))).toEqual([
      { path: '/status', before: 'draft', after: 'published' },
      { path: '/publishedAt', before: null, after: NOW },
    ]);
  });

  it('addresses a milestone by its id, not its position', () => {
    expect(diffOf([...draft, published()], milestoneRescheduled('m2'))).toEqual([
      { path: '/milestones/m2/plannedStart', before: '2023-02', after: '2023-03' },
      { path: '/milestones/m2/plannedEnd', before: '2023-06', after: '2023-08' },
      { path: '/milestones/m2/status', before: 'scheduled', after: 'delayed' },
      { path: '/milestones/m2/reschedules', before: 0, after: 1 },
    ]);
  });

  it('shows a new milestone as one change', () => {
    expect(diffOf(draft, milestoneAdded('m3'))).toEqual([
      {
        path: '/milestones/m3',
        before: null,
        after: {
          id: 'm3',
          title: 'Hito m3',
          responsibleOffice: 'Secretaría de Planeación',
          plannedStart: '2023-02',
          plannedEnd: '2023-06',
          status: 'scheduled',
          progress: 0,
          evidence: [],
          reschedules: 0,
        },
      },
    ]);
  });

  it('shows a list of plain values as one value', () => {
    expect(
      diffOf(draft, revised({ policyAreas: ['Right to Information', 'Civic Space'] })),
    ).toEqual([
      {
        path: '/policyAreas',
        before: ['Right to Information'],
        after: ['Right to Information', 'Civic Space'],
      },
    ]);
  });

  it('shows new evidence by its position in the list, with progress and dates', () => {
    const history = [...draft, published(), started()];
    const report = progressReported('m1', 30, { evidence: [evidence()] });
    expect(diffOf(history, report)).toEqual([
      { path: '/milestones/m1/status', before: 'scheduled', after: 'in_progress' },
      { path: '/milestones/m1/progress', before: 0, after: 30 },
      {
        path: '/milestones/m1/evidence/0',
        before: null,
        after: { ...evidence(), reportedAt: NOW },
      },
      { path: '/milestones/m1/lastReportedAt', before: null, after: NOW },
    ]);
  });

  it('goes into nested objects', () => {
    expect(
      diffOf(
        draft,
        revised({
          territories: {
            localidades: ['Histórica y del Caribe Norte'],
            comunas: [],
            corregimientos: [],
          },
        }),
      ),
    ).toEqual([
      {
        path: '/territories/localidades',
        before: [],
        after: ['Histórica y del Caribe Norte'],
      },
    ]);
  });

  it('shows a budget amount by line id and phase', () => {
    const history = [...draft, budgetRecorded({ amountCop: 100 })];
    expect(diffOf(history, budgetRecorded({ phase: 'executed', amountCop: 40 }))).toEqual([
      { path: '/budget/rubro-1/amounts/executed', before: null, after: 40 },
    ]);
  });

  it('leaves out the history it keeps for corrections', () => {
    const paths = diffOf(draft, revised({ title: 'Otro' })).map((c) => c.path);
    expect(paths).toEqual(['/title']);
  });

  it('shows a registration as every field appearing', () => {
    const after = foldCommitment(withIds([registered()]));
    const changes = diffState(initialState, after);
    expect(changes[0]).toEqual({ path: '/status', before: 'empty', after: 'draft' });
    expect(changes.find((c) => c.path === '/code')).toEqual({
      path: '/code',
      before: null,
      after: 'CTG-2023-01',
    });
    expect(changes.map((c) => c.path)).not.toContain('/history');
  });

  it('escapes ids as JSON Pointer requires', () => {
    const changes = diffOf(draft, milestoneAdded('a/b~c'));
    expect(changes.map((c) => c.path)).toEqual(['/milestones/a~1b~0c']);
  });
});
