import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#event-store';
import { historyOf, pageOfHistory } from '../application/commitment-timeline.js';
import { COMMITMENT_SCHEMA_VERSIONS, type CommitmentEvent } from '../domain/index.js';
import {
  COMMITMENT_ID,
  NOW,
  budgetRecorded,
  corrected,
  evidence,
  milestoneAdded,
  milestoneRescheduled,
  progressReported,
  published,
  registered,
  revised,
  started,
} from '../../test/commitment.fixtures.js';
import { historyConnectionFrom } from './commitment.mapper.js';

// A history entry's changes are JSON Pointers into the Commitment type as a client reads it:
// its field names and nesting, the enum values it shows, and DateTime as ISO 8601 text.

/** The events as the log would hand them over: stream versions from 1. */
function recorded(events: readonly CommitmentEvent[]): RecordedEvent[] {
  return events.map((event, i) => ({
    id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    stream: `commitment-${COMMITMENT_ID}`,
    streamVersion: i + 1,
    position: i + 101,
    type: event.type,
    schemaVersion: COMMITMENT_SCHEMA_VERSIONS[event.type],
    data: event.data as unknown as RecordedEvent['data'],
    metadata: { actor: { subject: 'ana', role: 'steward' }, occurredAt: NOW, recordedAt: NOW },
  }));
}

/** The changes the history shows for the last of `events`. */
async function changesOfLast(events: readonly CommitmentEvent[]) {
  const page = pageOfHistory(historyOf(recorded(events)), 1);
  return await historyConnectionFrom(page, undefined).edges[0].node.changes;
}

const draft: CommitmentEvent[] = [registered(), milestoneAdded('m1'), milestoneAdded('m2')];

describe('history changes', () => {
  it('shows a publication as the status, as the enum reads, and the new date', async () => {
    expect(await changesOfLast([...draft, published(NOW)])).toEqual([
      { path: '/status', before: 'DRAFT', after: 'PUBLISHED' },
      { path: '/publishedAt', before: null, after: NOW },
    ]);
  });

  it('addresses a milestone by its id, with its fields and statuses as the schema names them', async () => {
    expect(await changesOfLast([...draft, published(), milestoneRescheduled('m2')])).toEqual([
      { path: '/milestones/m2/plannedStart', before: '2023-02', after: '2023-03' },
      { path: '/milestones/m2/plannedEnd', before: '2023-06', after: '2023-08' },
      { path: '/milestones/m2/status', before: 'SCHEDULED', after: 'DELAYED' },
      { path: '/milestones/m2/reschedules', before: 0, after: 1 },
    ]);
  });

  it('shows a new milestone as one change, as the Milestone type reads', async () => {
    expect(await changesOfLast([...draft, milestoneAdded('m3')])).toEqual([
      {
        path: '/milestones/m3',
        before: null,
        after: {
          id: 'm3',
          commitmentId: COMMITMENT_ID,
          title: 'Hito m3',
          responsibleOffice: 'Secretaría de Planeación',
          plannedStart: '2023-02',
          plannedEnd: '2023-06',
          status: 'SCHEDULED',
          progress: 0,
          reschedules: 0,
          lastReportedAt: null,
          completedAt: null,
          cancelledAt: null,
          cancellationReason: null,
          evidence: [],
        },
      },
    ]);
  });

  it('shows new evidence under its milestone, as the Evidence type reads', async () => {
    const report = progressReported('m1', 30, { evidence: [evidence()] });
    expect(await changesOfLast([...draft, published(), started(), report])).toEqual([
      { path: '/milestones/m1/status', before: 'SCHEDULED', after: 'IN_PROGRESS' },
      { path: '/milestones/m1/progress', before: 0, after: 30 },
      { path: '/milestones/m1/lastReportedAt', before: null, after: NOW },
      {
        path: '/milestones/m1/evidence/0',
        before: null,
        after: {
          milestoneId: 'm1',
          kind: 'DOCUMENT',
          url: null,
          fileName: 'acta-comite-2023-02-10.txt',
          sha256: 'a'.repeat(64),
          mediaType: 'text/plain',
          description: 'Acta de la reunión del comité interno de rendición de cuentas',
          reportedAt: NOW,
        },
      },
    ]);
  });

  it('shows a budget amount as the BudgetLine field of its phase', async () => {
    const history = [...draft, budgetRecorded({ amountCop: 100 })];
    expect(
      await changesOfLast([...history, budgetRecorded({ phase: 'executed', amountCop: 40 })]),
    ).toEqual([{ path: '/budget/rubro-1/executed', before: null, after: 40 }]);
  });

  it('shows a list of plain values as one value, and goes into nested objects', async () => {
    const territories = { localidades: ['Histórica'], comunas: [], corregimientos: [] };
    expect(
      await changesOfLast([...draft, revised({ policyAreas: ['Civic Space'], territories })]),
    ).toEqual([
      { path: '/policyAreas', before: ['Right to Information'], after: ['Civic Space'] },
      { path: '/territories/localidades', before: [], after: ['Histórica'] },
    ]);
  });

  it('shows an OGP value as the enum reads', async () => {
    expect(
      await changesOfLast([...draft, revised({ ogpValues: [{ value: 'inclusion' }] })]),
    ).toEqual([{ path: '/ogpValues/0/value', before: 'TRANSPARENCY', after: 'INCLUSION' }]);
  });

  it('shows a correction as the count the schema gives and what it changed', async () => {
    const events = [...draft, published(), started(), progressReported('m1', 30)];
    const correction = corrected({
      correctedEventId: '00000000-0000-4000-8000-000000000006',
      replacement: progressReported('m1', 20),
    });
    expect(await changesOfLast([...events, correction])).toEqual([
      { path: '/corrections', before: 0, after: 1 },
      { path: '/milestones/m1/progress', before: 30, after: 20 },
    ]);
  });

  it('shows a registration as every field appearing, without bookkeeping', async () => {
    const changes = await changesOfLast([registered()]);
    const paths = changes.map((change) => change.path);

    expect(changes[0]).toEqual({ path: '/id', before: null, after: COMMITMENT_ID });
    expect(changes).toContainEqual({ path: '/status', before: null, after: 'DRAFT' });
    expect(changes).toContainEqual({ path: '/code', before: null, after: 'CTG-2023-01' });
    expect(paths.filter((path) => /^\/(history|version|view|evidence)$/.test(path))).toEqual([]);
    expect(changes).toContainEqual({ path: '/milestones', before: null, after: [] });
  });

  it('escapes milestone ids as JSON Pointer requires', async () => {
    const changes = await changesOfLast([...draft, milestoneAdded('a/b~c')]);
    expect(changes.map((change) => change.path)).toEqual(['/milestones/a~1b~0c']);
  });
});
