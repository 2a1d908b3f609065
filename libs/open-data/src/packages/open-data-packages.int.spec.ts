import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, type NewEvent } from '#event-store';
import { generateSignerKey } from '#ledger';
import { openReadDatabase, ReadModelsBehindError } from '#platform';
import { PostgresLedger } from '#transparency';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { OpenDataPackages, PackagesBusyError, type PackageSnapshot } from './open-data-packages.js';
import { historyResource } from './resources/history.resource.js';

// The cut, on a real PostgreSQL: a package is read only where every read model holds exactly
// the log's first logSize events, and all of it in one snapshot.

const ORIGIN = 'cuenta.example/open-data-test';
const PROBE = { name: 'probe', filter: { streamPrefix: 'probe-' } };

let database: TestDatabase;
let store: PostgresEventStore;
let dataSource: DataSource;
let ledger: PostgresLedger;
const opened: PackageSnapshot[] = [];

const event = (n: number): NewEvent => ({
  type: 'ProbeRecorded',
  data: { n },
  metadata: {
    actor: { subject: 'ana', role: 'steward', agency: 'secretaria-de-planeacion' },
    occurredAt: '2024-01-02T03:04:05.678Z',
    reason: `step ${n}`,
  },
});

const packages = (waitMs = 0) =>
  new OpenDataPackages({
    dataSource,
    store,
    ledger,
    projections: [PROBE],
    waitMs,
    batchSize: 2,
    resources: [historyResource],
  });

async function open(waitMs = 0) {
  const snapshot = await packages(waitMs).open();
  opened.push(snapshot);
  return snapshot;
}

async function historyOf(snapshot: PackageSnapshot) {
  const rows = [];
  for await (const batch of snapshot.batches(historyResource)) rows.push(...batch);
  return rows;
}

const setCheckpoint = (position: number) =>
  dataSource.query(
    `INSERT INTO read.projection_checkpoints (name, position) VALUES ('probe', $1)
     ON CONFLICT (name) DO UPDATE SET position = $1`,
    [position],
  );

beforeEach(async () => {
  database = await createTestDatabase();
  store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  dataSource = await openReadDatabase({
    connectionString: database.url,
    entities: [],
    migrations: [],
    migrate: false,
  });
  ledger = new PostgresLedger(store.pool, { origin: ORIGIN, signerKey: generateSignerKey(ORIGIN) });
});

afterEach(async () => {
  for (const snapshot of opened.splice(0)) await snapshot.close();
  await dataSource.destroy();
  await store.close();
  await database.drop();
});

describe('OpenDataPackages.open', () => {
  it('cuts an empty log at size 0, with no checkpoint and no rows', async () => {
    const snapshot = await open();
    expect(snapshot.cut).toMatchObject({ logSize: 0, asOf: null, checkpoint: null });
    expect(await historyOf(snapshot)).toEqual([]);
  });

  it('refuses, after waiting, while a read model has not applied an event it takes', async () => {
    await store.append('probe-1', [event(0), event(1), event(2)], 'no_stream');
    await setCheckpoint(2);
    const refused = packages(60).open();
    await expect(refused).rejects.toBeInstanceOf(ReadModelsBehindError);
    await expect(refused).rejects.toMatchObject({ position: 2, reached: 2 });
  });

  it('cuts at the head once the read models hold it, events they do not take included, and names a checkpoint of that size', async () => {
    await store.append('probe-1', [event(0), event(1), event(2)], 'no_stream');
    await setCheckpoint(3);
    await store.append('other-1', [event(3), event(4)], 'no_stream');
    const snapshot = await open();
    expect(snapshot.cut.logSize).toBe(5);
    expect(snapshot.cut.checkpoint?.size).toBe(5);
    expect(snapshot.cut.origin).toBe(ORIGIN);
    expect((await ledger.checkpointAt(5))?.note).toBe(snapshot.cut.checkpoint?.note);
    const rows = await historyOf(snapshot);
    expect(rows.map((r) => [r.position, r.streamId, r.streamVersion, r.reason])).toEqual([
      [0, 'probe-1', 1, 'step 0'],
      [1, 'probe-1', 2, 'step 1'],
      [2, 'probe-1', 3, 'step 2'],
      [3, 'other-1', 1, 'step 3'],
      [4, 'other-1', 2, 'step 4'],
    ]);
    expect(rows[0]).toMatchObject({
      occurredAt: '2024-01-02T03:04:05Z',
      actorRole: 'steward',
      actorAgency: 'secretaria-de-planeacion',
    });
    expect(JSON.stringify(rows)).not.toContain('ana');
  });

  it('waits for a read model that catches up within the wait', async () => {
    await store.append('probe-1', [event(0)], 'no_stream');
    const later = setTimeout(() => void setCheckpoint(1), 100);
    try {
      const snapshot = await open(5000);
      expect(snapshot.cut.logSize).toBe(1);
    } finally {
      clearTimeout(later);
    }
  });

  it('reads every row in one snapshot: events appended while it is open are not in it', async () => {
    await store.append('probe-1', [event(0), event(1)], 'no_stream');
    await setCheckpoint(2);
    const snapshot = await open();
    await store.append('probe-1', [event(2), event(3)], 2);
    await setCheckpoint(4);
    expect((await historyOf(snapshot)).map((r) => r.position)).toEqual([0, 1]);
    expect(snapshot.cut.logSize).toBe(2);
    const next = await open();
    expect(next.cut.logSize).toBe(4);
    expect((await historyOf(next)).map((r) => r.position)).toEqual([0, 1, 2, 3]);
  });

  it('holds at most maxOpen snapshots at once, and frees a place when one closes', async () => {
    const limited = new OpenDataPackages({
      dataSource,
      store,
      ledger,
      projections: [PROBE],
      waitMs: 0,
      maxOpen: 1,
      resources: [historyResource],
    });
    const first = await limited.open();
    await expect(limited.open()).rejects.toBeInstanceOf(PackagesBusyError);
    await first.close();
    const second = await limited.open();
    opened.push(second);
    expect(second.cut.logSize).toBe(0);
  });
});
