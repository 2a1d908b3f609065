import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DataSource } from 'typeorm';
import { commitmentsContext, COMMITMENT_UPCASTERS, CommitmentsProjection } from '#commitments';
import { PostgresEventStore, Upcasters } from '#event-store';
import { RedFlagFilesProjection, RedFlagQueries, thresholdsFrom } from '#oversight';
import { openReadDatabase, ProjectionRunner } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../test/support/database.js';
import { FeedEntryQueries } from './feed-entries.queries.js';
import { FeedsService } from './feeds.service.js';

const COMMITMENT = 'cartagena-cuenta-2023';

describe('the feeds over the demo log', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let feeds: FeedsService;
  let base: string;

  const serviceOf = (origin: string) =>
    new FeedsService(new FeedEntryQueries(dataSource), origin, {
      queries: new RedFlagQueries(dataSource),
      thresholds: thresholdsFrom(undefined),
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    await commitmentsContext.demo?.load(store);
    await new ProjectionRunner(
      store,
      dataSource,
      [new CommitmentsProjection(store), new RedFlagFilesProjection()],
      { connectionString: database.url, batchSize: 1000 },
    ).catchUpOnce();
    feeds = serviceOf('cuenta.example/cartagena');
    base = 'https://cuenta.example';
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it("writes a commitment's feed as well-formed Atom, one entry per event, newest first", async () => {
    const text = await feeds.atom('commitment', COMMITMENT, base);
    expect(text).toBeDefined();
    expect(XMLValidator.validate(text ?? '')).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false }).parse(text ?? '').feed;
    const events = await store.readStream(`commitment-${COMMITMENT}`, { direction: 'backwards' });
    expect(feed.entry.map((entry: { id: string }) => entry.id)).toEqual(
      events.slice(0, 50).map((event) => `urn:uuid:${event.id}`),
    );
  });

  it('names a feed by the same id at any address, and the same feed of another log by another', async () => {
    const id = (text: string | undefined) => new XMLParser().parse(text ?? '').feed.id;
    const here = await feeds.atom('commitment', COMMITMENT, base);
    const elsewhere = await feeds.atom('commitment', COMMITMENT, 'http://127.0.0.1:8080');
    const otherLog = serviceOf('other.example/log');
    expect(id(elsewhere)).toBe(id(here));
    expect(id(await otherLog.atom('commitment', COMMITMENT, base))).not.toBe(id(here));
  });

  it('lists the red flags redFlags reports at the same instant, newest raised first, under ids that stay', async () => {
    const now = new Date('2025-06-01T12:00:00.000Z');
    const flags = await new RedFlagQueries(dataSource).flags(
      {},
      now.toISOString(),
      thresholdsFrom(undefined),
    );
    expect(flags.length).toBeGreaterThan(0);
    const text = await feeds.redFlagsAtom(base, now);
    expect(XMLValidator.validate(text)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false }).parse(text).feed;
    const entries = [feed.entry].flat() as { id: string; published: string; updated: string }[];
    expect(entries.map((entry) => entry.published)).toEqual(
      flags.slice(0, 50).map((flag) => new Date(flag.raisedAt).toISOString()),
    );
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    const later = await feeds.redFlagsAtom(base, new Date('2025-06-02T12:00:00.000Z'));
    const laterIds = [new XMLParser().parse(later).feed.entry]
      .flat()
      .map((e: { id: string }) => e.id);
    expect(laterIds).toEqual(expect.arrayContaining(entries.map((entry) => entry.id)));
  });

  it('escapes what a title may hold, so the document stays well-formed', async () => {
    await dataSource.query(`UPDATE read.commitments SET code = 'A&B <x> ]]>' WHERE id = $1`, [
      COMMITMENT,
    ]);
    const text = await feeds.atom('commitment', COMMITMENT, base);
    expect(XMLValidator.validate(text ?? '')).toBe(true);
    const feed = new XMLParser().parse(text ?? '').feed;
    expect(feed.title).toContain('A&B <x> ]]>');
    expect(feed.entry[0].title).toBe(
      'A&amp;B &lt;x&gt; ]]&gt;: Avance de hito reportado / Milestone progress reported',
    );
  });

  it('has nothing for an agency or plan with no commitment', async () => {
    expect(await feeds.atom('agency', 'nadie', base)).toBeUndefined();
    expect(await feeds.atom('action-plan', 'plan-2099', base)).toBeUndefined();
  });
});
