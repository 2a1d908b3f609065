import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#event-store';
import { COMMITMENT_SCHEMA_VERSIONS, type CommitmentEventType } from '../domain/index.js';
import { historyOf, pageOfHistory, snapshotOf } from './commitment-timeline.js';

// A small recorded stream: registered and a milestone on 10 Jan, published 16 Jan; progress
// of 40 % on 10 Feb; and, recorded on 1 Apr, a report backdated to 1 Mar (60 %).

let position = 0;
function recorded(
  type: string,
  data: Record<string, unknown>,
  occurredAt: string,
  recordedAt = occurredAt,
): RecordedEvent {
  position += 1;
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    stream: 'commitment-c1',
    streamVersion: position,
    position: position + 100,
    type,
    schemaVersion: COMMITMENT_SCHEMA_VERSIONS[type as CommitmentEventType],
    data: { commitmentId: 'c1', ...data } as RecordedEvent['data'],
    metadata: { actor: { subject: 'ana', role: 'steward' }, occurredAt, recordedAt },
  };
}

const stream = [
  recorded(
    'CommitmentRegistered',
    {
      code: 'CTG-1',
      title: 'Rendición de cuentas',
      actionPlanId: 'p1',
      startDate: '2023-01-01',
      endDate: '2023-12-31',
      leadAgency: { id: 'alcaldia', name: 'Alcaldía', offices: [] },
      stakeholders: [],
      policyAreas: [],
      ogpValues: [],
      territories: { localidades: [], comunas: [], corregimientos: [] },
      inclusionGroups: [],
      registeredAt: '2023-01-10T14:00:00.000Z',
    },
    '2023-01-10T14:00:00.000Z',
  ),
  recorded(
    'MilestoneAdded',
    {
      milestoneId: 'm1',
      title: 'Estrategia',
      responsibleOffice: 'Planeación',
      plannedStart: '2023-01',
      plannedEnd: '2023-06',
    },
    '2023-01-10T14:00:00.000Z',
  ),
  recorded(
    'CommitmentPublished',
    { publishedAt: '2023-01-16T14:00:00.000Z' },
    '2023-01-16T14:00:00.000Z',
  ),
  recorded(
    'CommitmentStarted',
    { startedAt: '2023-02-10T14:00:00.000Z' },
    '2023-02-10T14:00:00.000Z',
  ),
  recorded(
    'MilestoneProgressReported',
    { milestoneId: 'm1', percent: 40, reportedAt: '2023-02-10T14:00:00.000Z' },
    '2023-02-10T14:00:00.000Z',
  ),
  recorded(
    'MilestoneProgressReported',
    { milestoneId: 'm1', percent: 60, reportedAt: '2023-03-01T14:00:00.000Z' },
    '2023-03-01T14:00:00.000Z',
    '2023-04-01T14:00:00.000Z',
  ),
];

const progress = (snapshot: ReturnType<typeof snapshotOf>) =>
  snapshot.state.status === 'empty' ? undefined : snapshot.state.milestones[0].progress;

describe('snapshotOf', () => {
  it('folds everything without a time travel', () => {
    const snapshot = snapshotOf(stream, {});
    expect(snapshot).toMatchObject({ version: 6, latestVersion: 6, recordedLater: 0 });
    expect(progress(snapshot)).toBe(60);
  });

  it('as of a business date, includes what happened by then, however late it was recorded', () => {
    const before = snapshotOf(stream, { asOf: new Date('2023-02-01T00:00:00Z') });
    const after = snapshotOf(stream, { asOf: new Date('2023-03-15T00:00:00Z') });

    expect(before.state.status).toBe('published');
    expect(progress(before)).toBe(0);
    expect(before).toMatchObject({ version: 3, recordedLater: 0 });
    expect(progress(after)).toBe(60);
    expect(after).toMatchObject({ version: 6, recordedLater: 1 });
  });

  it('as known on a record date, leaves out what was recorded later, and counts it', () => {
    const snapshot = snapshotOf(stream, {
      asOf: new Date('2023-03-15T00:00:00Z'),
      knownAt: new Date('2023-03-15T00:00:00Z'),
    });

    expect(progress(snapshot)).toBe(40);
    expect(snapshot).toMatchObject({ version: 5, latestVersion: 6, recordedLater: 1 });
  });

  it('at a stream version, folds exactly that prefix', () => {
    const snapshot = snapshotOf(stream, { atVersion: 2 });
    expect(snapshot.state.status).toBe('draft');
    expect(snapshot.events.map((e) => e.type)).toEqual(['CommitmentRegistered', 'MilestoneAdded']);
  });

  it('is empty before the registration', () => {
    const snapshot = snapshotOf(stream, { asOf: new Date('2023-01-01T00:00:00Z') });
    expect(snapshot).toMatchObject({ state: { status: 'empty' }, version: 0, events: [] });
  });
});

describe('historyOf', () => {
  it('gives each event the states before and after it', () => {
    const history = historyOf(stream);
    const progressOf = (state: (typeof history)[number]['after']) =>
      state.status === 'empty' ? undefined : state.milestones[0]?.progress;

    expect(history.map((h) => h.event.type)).toEqual(stream.map((e) => e.type));
    expect(history.map((h) => [progressOf(h.before), progressOf(h.after)])).toEqual([
      [undefined, undefined],
      [undefined, 0],
      [0, 0],
      [0, 0],
      [0, 40],
      [40, 60],
    ]);
    expect(history.map((h) => h.after.status)).toEqual([
      'draft',
      'draft',
      'published',
      'in_progress',
      'in_progress',
      'in_progress',
    ]);
    expect(history.slice(1).map((h) => h.before)).toEqual(history.slice(0, -1).map((h) => h.after));
  });
});

describe('pageOfHistory', () => {
  const versions = (page: ReturnType<typeof pageOfHistory>) =>
    page.entries.map((entry) => entry.event.streamVersion);

  it('pages newest first, each page older than the cursor, counting the whole history', () => {
    const history = historyOf(stream);
    const first = pageOfHistory(history, 4);
    const second = pageOfHistory(history, 4, 3);

    expect([versions(first), first.hasNextPage, first.totalCount()]).toEqual([
      [6, 5, 4, 3],
      true,
      6,
    ]);
    expect([versions(second), second.hasNextPage, second.totalCount()]).toEqual([[2, 1], false, 6]);
    expect(first.entries[3].states).toBe(history[2]);
  });

  it('is empty past the oldest entry', () => {
    const page = pageOfHistory(historyOf(stream), 4, 1);
    expect([versions(page), page.hasNextPage]).toEqual([[], false]);
  });
});
