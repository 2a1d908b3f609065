import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, Upcasters, type RecordedEvent } from '#event-store';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../../test/support/database.js';
import { AuditLogProjection } from './audit-log.projection.js';
import { AuditLogQueries, type AuditFilter } from './audit-log.queries.js';

const DAY = 86_400_000;
const ana = { subject: 'ana', role: 'steward', agency: 'a1' };
const bob = { subject: 'bob', role: 'steward', agency: 'a2' };
const admin = { subject: 'root', role: 'administrator' };

describe('the audit log projection and its queries', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let queries: AuditLogQueries;
  let now: number;
  // Positions by a name for each appended event.
  const at: Record<string, number> = {};

  const append = async (
    name: string,
    stream: string,
    type: string,
    actor: { subject: string; role: string; agency?: string } | null,
    occurredAt: Date,
    reason?: string,
  ) => {
    const result = await store.append(
      stream,
      [{ type, data: { name }, metadata: { actor, occurredAt, ...(reason ? { reason } : {}) } }],
      'any',
    );
    at[name] = result.positions[0];
  };

  const positions = async (filter: AuditFilter, first = 100) =>
    (await queries.page(filter, first)).rows.map((row) => row.event.position);
  /** The page position of an appended event, as a cursor names it. */
  const after = async (name: string) => {
    const [event] = await store.readAll({ from: at[name], limit: 1 });
    return { recordedAt: event.metadata.recordedAt, position: event.position };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url, pollMs: 100 });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    queries = new AuditLogQueries(dataSource, new Upcasters(), 30);
    now = Date.now();
    await append('registered', 'commitment-c1', 'CommitmentRegistered', ana, new Date(now));
    // 40 days before its recording, and before the stream's previous change.
    await append(
      'backdated',
      'commitment-c1',
      'MilestoneRescheduled',
      ana,
      new Date(now - 40 * DAY),
      'late',
    );
    // Two days back: within the threshold, but before the stream's previous change.
    await append(
      'reordered',
      'commitment-c1',
      'MilestoneProgressReported',
      ana,
      new Date(now - 2 * DAY),
    );
    // Ten days back, first of its stream: not retroactive with a threshold of 30 days.
    await append('other', 'commitment-c2', 'CommitmentRegistered', bob, new Date(now - 10 * DAY));
    await append('later', 'commitment-c2', 'CommitmentPublished', bob, new Date(now), 'approved');
    await append(
      'evaluation',
      'evaluation-e1',
      'EvaluationSubmitted',
      { subject: 'anon:x', role: 'anonymous' },
      new Date(now),
    );
    await append('system', 'log-witnesses', 'LogWitnessAdded', null, new Date(now));
    await append(
      'admin',
      'commitment-c10',
      'CommitmentWithdrawn',
      admin,
      new Date(now),
      'duplicate',
    );
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  const rebuild = (batchSize: number) =>
    new ProjectionRunner(store, dataSource, [new AuditLogProjection()], {
      connectionString: database.url,
      batchSize,
    }).rebuild();

  it('indexes the same facts whatever the batch size', async () => {
    const read = () =>
      dataSource.query(
        `SELECT position, type, stream, actor_subject, actor_role, actor_agency, reason,
                before_previous, backdated_seconds > 30 * 86400 AS past_threshold
           FROM read.audit_log ORDER BY position`,
      );
    await rebuild(1);
    const one = await read();
    await rebuild(1000);
    expect(await read()).toEqual(one);
    expect(one).toHaveLength(8);
  });

  it('lists every event newest first, each with its event as stored', async () => {
    await rebuild(3);
    const { rows, hasNextPage } = await queries.page({}, 100);
    expect(rows.map((row) => row.event.position)).toEqual(Object.values(at).sort((a, b) => b - a));
    expect(hasNextPage).toBe(false);
    const stored = await store.readAll({ from: at.backdated, limit: 1 });
    const backdated = rows.find((row) => row.event.position === at.backdated) as {
      event: RecordedEvent;
    };
    expect(backdated.event).toEqual(stored[0]);
  });

  it('pages with a position cursor, newest first', async () => {
    const first = await queries.page({}, 3);
    expect(first.rows.map((row) => row.event.position)).toEqual([
      at.admin,
      at.system,
      at.evaluation,
    ]);
    expect(first.hasNextPage).toBe(true);
    const second = await queries.page({}, 3, await after('evaluation'));
    expect(second.rows.map((row) => row.event.position)).toEqual([
      at.later,
      at.other,
      at.reordered,
    ]);
    expect(second.hasNextPage).toBe(true);
    const last = await queries.page({}, 3, await after('reordered'));
    expect(last.rows.map((row) => row.event.position)).toEqual([at.backdated, at.registered]);
    expect(last.hasNextPage).toBe(false);
  });

  it('filters by actor subject, agency, role and type', async () => {
    expect(await positions({ actors: ['ana'] })).toEqual([
      at.reordered,
      at.backdated,
      at.registered,
    ]);
    expect(await positions({ agencies: ['a2'] })).toEqual([at.later, at.other]);
    expect(await positions({ roles: ['administrator', 'anonymous'] })).toEqual([
      at.admin,
      at.evaluation,
    ]);
    expect(await positions({ types: ['CommitmentRegistered'] })).toEqual([at.other, at.registered]);
  });

  it('filters by stream prefix, exactly (c1 is not c10), and by any of several prefixes', async () => {
    expect(await positions({ streamPrefix: 'commitment-c1' })).toEqual([
      at.admin,
      at.reordered,
      at.backdated,
      at.registered,
    ]);
    expect(await positions({ streamPrefixesAny: ['evaluation-', 'log-'] })).toEqual([
      at.system,
      at.evaluation,
    ]);
    // LIKE's wildcards in a prefix are plain characters.
    expect(await positions({ streamPrefix: 'commitment_' })).toEqual([]);
  });

  it('filters by business time and by recording time', async () => {
    expect(
      await positions({ occurred: { from: new Date(now - 41 * DAY), to: new Date(now - DAY) } }),
    ).toEqual([at.other, at.reordered, at.backdated]);
    expect(await positions({ recorded: { to: new Date(now - DAY) } })).toEqual([]);
    expect(await positions({ recorded: { from: new Date(now - DAY) }, actors: ['bob'] })).toEqual([
      at.later,
      at.other,
    ]);
  });

  it('finds retroactive changes: before the stream previous change, or past the threshold', async () => {
    const { rows } = await queries.page({ retroactiveOnly: true }, 100);
    expect(rows.map((row) => [row.event.position, row.beforePreviousChange])).toEqual([
      [at.reordered, true],
      [at.backdated, true],
    ]);
    expect(rows.every((row) => row.retroactive)).toBe(true);
    const stricter = new AuditLogQueries(dataSource, new Upcasters(), 5);
    expect(
      (await stricter.page({ retroactiveOnly: true }, 100)).rows.map((r) => r.event.position),
    ).toEqual([at.other, at.reordered, at.backdated]);
  });

  it('finds changes recorded without a reason', async () => {
    expect(await positions({ withoutReasonOnly: true, agencies: ['a1', 'a2'] })).toEqual([
      at.other,
      at.reordered,
      at.registered,
    ]);
  });

  it('counts a period by actor and type, and nothing outside it', async () => {
    const period = { from: new Date(now - DAY), to: new Date(now + DAY) };
    expect(
      await queries.changeLogSummary({ recorded: period, agencies: ['a1', 'a2'] }, [
        'actor',
        'type',
      ]),
    ).toEqual([
      { actor: 'ana', type: 'CommitmentRegistered', count: 1 },
      { actor: 'ana', type: 'MilestoneProgressReported', count: 1 },
      { actor: 'ana', type: 'MilestoneRescheduled', count: 1 },
      { actor: 'bob', type: 'CommitmentPublished', count: 1 },
      { actor: 'bob', type: 'CommitmentRegistered', count: 1 },
    ]);
    expect(await queries.changeLogSummary({ recorded: period }, [])).toEqual([{ count: 8 }]);
    expect(await queries.changeLogSummary({ recorded: period }, ['agency'])).toEqual(
      [
        { agency: null, count: 3 },
        { agency: 'a1', count: 3 },
        { agency: 'a2', count: 1 + 1 },
      ].sort((a, b) => String(a.agency ?? '').localeCompare(String(b.agency ?? ''))),
    );
    const before = { from: new Date(now - 60 * DAY), to: new Date(now - DAY) };
    expect(await queries.changeLogSummary({ recorded: before }, [])).toEqual([]);
  });
});

describe('change-log summaries over months', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let queries: AuditLogQueries;

  // Synthetic events straight into the projection: summaries read only the audit tables, and
  // recording times across a year cannot be appended to a real log.
  const events: RecordedEvent[] = [];
  const actors = ['ana', 'bob', 'eva'];
  const agencies = ['a1', 'a2'];
  const types = ['MilestoneRescheduled', 'BudgetRecorded'];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    queries = new AuditLogQueries(dataSource, new Upcasters(), 30);
    const start = Date.UTC(2025, 11, 20);
    for (let i = 0; i < 600; i++) {
      // Every 13 hours and a bit from 20 December 2025: about 11 months.
      const recordedAt = new Date(start + i * 13.3 * 3_600_000).toISOString();
      events.push({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        stream: `commitment-c${i % 17}`,
        streamVersion: Math.floor(i / 17) + 1,
        position: i,
        type: types[i % 2],
        schemaVersion: 1,
        data: {},
        metadata: {
          actor:
            i % 11 === 0
              ? null
              : { subject: actors[i % 3], role: 'steward', agency: agencies[i % 2] },
          occurredAt: recordedAt,
          recordedAt,
        },
      });
    }
    const projection = new AuditLogProjection();
    for (let i = 0; i < events.length; i += 50) {
      await dataSource.transaction((manager) => projection.apply(events.slice(i, i + 50), manager));
    }
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** The same counts, worked out from the events one by one. */
  function expected(from: Date, to: Date, agency?: string) {
    const counts = new Map<string, number>();
    for (const event of events) {
      const time = Date.parse(event.metadata.recordedAt);
      if (time < from.getTime() || time >= to.getTime()) continue;
      if (agency !== undefined && event.metadata.actor?.agency !== agency) continue;
      const key = `${event.metadata.recordedAt.slice(0, 7)}|${event.metadata.actor?.subject ?? null}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts]
      .map(([key, count]) => {
        const [month, actor] = key.split('|');
        return { month, actor: actor === 'null' ? null : actor, count };
      })
      .sort(
        (a, b) => (a.actor ?? '').localeCompare(b.actor ?? '') || a.month.localeCompare(b.month),
      );
  }

  it.each([
    ['whole months', '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['a period cut mid-month at both ends', '2025-12-25T07:30:00Z', '2026-09-10T18:00:00Z'],
    ['a period inside one month', '2026-03-04T00:00:00Z', '2026-03-20T12:00:00Z'],
    ['a period from a month start to mid-month', '2026-02-01T00:00:00Z', '2026-04-15T00:00:00Z'],
  ])('counts %s as the events say', async (_, from, to) => {
    const period = { from: new Date(from), to: new Date(to) };
    const groups = await queries.changeLogSummary({ recorded: period }, ['actor', 'month']);
    // Ordered by actor then month; no actor ('' in the table) sorts first.
    expect(groups).toEqual(expected(period.from, period.to));
    const ofA2 = await queries.changeLogSummary({ recorded: period, agencies: ['a2'] }, [
      'actor',
      'month',
    ]);
    expect(ofA2).toEqual(expected(period.from, period.to, 'a2'));
  });
});
