import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildSchema, parse, validate } from 'graphql';
import { PostgresEventStore } from '#event-store';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Statistics and Atom feeds over real HTTP against the built server with the Cartagena demo.

const COMMITMENT = 'cartagena-cuenta-2023';
const AGENCY = 'alcaldia-cartagena';
const PLAN = 'cartagena-2023';
const HEARING = 'audiencia-publica-2023-12-07';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Data = Record<string, any>;

let database: TestDatabase;
let dataDir: string;
let server: ServerProcess;
let store: PostgresEventStore;
let steward: Record<string, string>;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Fetches a feed, checks it is well-formed XML, and parses it. */
async function atom(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${url}`, { headers });
  const text = await response.text();
  const parsed =
    response.status === 200 && XMLValidator.validate(text) === true
      ? (parser.parse(text) as Data)
      : undefined;
  return { response, text, feed: parsed?.feed as Data | undefined };
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-open-data-e2e-'));
  server = await startServer({
    DATABASE_URL: database.url,
    CUENTA_DATA_DIR: dataDir,
    CUENTA_DEMO: 'on',
  });
  const { mint } = await localTokens(dataDir);
  steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
  store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  // The demo is recorded at start; wait until the read models show the corrected attendance.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await graphql(
      server.url,
      `{ dialogueSpace(id: "${HEARING}") { attendance { total } } }`,
    );
    if (body.data?.dialogueSpace?.attendance?.total === 437) break;
    if (Date.now() > deadline) throw new Error(`demo not served: ${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await store?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const CELL = 'value suppressed reason';
const STATISTICS = `query ($groupBy: StatisticsGrouping!, $asOf: String, $filter: StatisticsFilter) {
  statistics(groupBy: $groupBy, asOf: $asOf, filter: $filter) {
    groupBy asOf minimumPeople
    groups { key label
      commitments { total overdue byStatus { status count } }
      milestones { total completedOnTime completedLate overdue }
      evaluations { count { ${CELL} } meanClarity { ${CELL} } shareAnswered { ${CELL} } }
      dialogueSpaces { total withAttendance }
      attendance { total { ${CELL} } meanPerSpace { ${CELL} } } }
    total { commitments { total } evaluations { count { ${CELL} } } attendance { total { ${CELL} } } }
  } }`;

describe('statistics', () => {
  it('groups the demo by localidad, attendance shown, the four visible evaluations suppressed', async () => {
    const { body } = await graphql<Data>(server.url, STATISTICS, {
      groupBy: 'LOCALIDAD',
      asOf: '2024-06-01',
    });
    expect(body.errors).toBeUndefined();
    const statistics = body.data?.statistics;
    expect(statistics).toMatchObject({
      groupBy: 'LOCALIDAD',
      asOf: '2024-06-01',
      minimumPeople: 5,
    });
    expect(statistics.groups.map((g: Data) => [g.key, g.label, g.commitments.total])).toEqual([
      ['localidad-1', 'Localidad Histórica y del Caribe Norte', 1],
      ['localidad-2', 'Localidad de la Virgen y Turística', 1],
      ['localidad-3', 'Localidad Industrial y de la Bahía', 1],
      [null, null, 0],
    ]);
    const first = statistics.groups[0];
    expect(first.milestones.total).toBe(7);
    expect(first.commitments.byStatus).toContainEqual({ status: 'in_progress', count: 1 });
    expect(first.attendance.total).toEqual({ value: 48, suppressed: false, reason: null });
    expect(first.evaluations.count).toEqual({
      value: null,
      suppressed: true,
      reason: 'FEWER_THAN_MINIMUM',
    });
    // The socialization with civil society (63) and the hearing (437) name no territory.
    expect(statistics.groups[3].attendance.total.value).toBe(500);
    expect(statistics.total).toEqual({
      commitments: { total: 1 },
      evaluations: { count: { value: null, suppressed: true, reason: 'FEWER_THAN_MINIMUM' } },
      attendance: { total: { value: 548, suppressed: false, reason: null } },
    });
  });

  it('groups by agency, within a plan', async () => {
    const { body } = await graphql<Data>(server.url, STATISTICS, {
      groupBy: 'AGENCY',
      filter: { actionPlanId: PLAN },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.statistics.groups.map((g: Data) => g.key)).toEqual([AGENCY]);
    expect(body.data?.statistics.total.commitments.total).toBe(1);
  });

  it('refuses a day that does not exist, naming the argument', async () => {
    const { body } = await graphql<Data>(server.url, STATISTICS, {
      groupBy: 'STATUS',
      asOf: '2024-02-30',
    });
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'asOf' });
  });

  it('refuses a grouping it does not know', async () => {
    const { body } = await graphql<Data>(server.url, STATISTICS, { groupBy: 'NEIGHBOUR' });
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0].message).toContain('StatisticsGrouping');
  });
});

describe('Atom feeds', () => {
  it('are linked from the commitment and its lead agency', async () => {
    const { body } = await graphql<Data>(
      server.url,
      `{ commitment(id: "${COMMITMENT}") { feedUrl actionPlanFeedUrl leadAgency { feedUrl } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.commitment).toEqual({
      feedUrl: `/feeds/commitments/${COMMITMENT}.atom`,
      actionPlanFeedUrl: `/feeds/action-plans/${PLAN}.atom`,
      leadAgency: { feedUrl: `/feeds/agencies/${AGENCY}.atom` },
    });
  });

  it('are linked from the action plan', async () => {
    const { body } = await graphql<Data>(
      server.url,
      `{ actionPlan(id: "${PLAN}") { id feedUrl } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.actionPlan).toEqual({
      id: PLAN,
      feedUrl: `/feeds/action-plans/${PLAN}.atom`,
    });
  });

  it("serves a commitment's changes as valid Atom, newest first, with no actor in it", async () => {
    const { response, text, feed } = await atom(`/feeds/commitments/${COMMITMENT}.atom`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(text)).toBe(true);
    expect(feed?.['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed?.id).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(feed?.title).toContain('Compromiso / Commitment: CartagenaCuenta-2023: ');
    expect(list<Data>(feed?.link)).toContainEqual({
      '@rel': 'self',
      '@href': `${server.url}/feeds/commitments/${COMMITMENT}.atom`,
    });
    expect(feed?.author?.name).toBe('Cuenta (cuenta.example/cartagena)');

    const events = await store.readStream(`commitment-${COMMITMENT}`);
    const entries = list<Data>(feed?.entry);
    expect(entries).toHaveLength(Math.min(events.length, 50));
    const newest = events[events.length - 1];
    expect(entries[0].id).toBe(`urn:uuid:${newest.id}`);
    expect(entries[0].updated).toBe(newest.metadata.recordedAt);
    expect(feed?.updated).toBe(newest.metadata.recordedAt);
    for (const entry of entries) {
      expect(entry.id).toMatch(/^urn:uuid:/);
      expect(entry.title['@type']).toBe('html');
      expect(entry.title['#text']).toMatch(/^CartagenaCuenta-2023: \S/);
      expect(Date.parse(entry.updated)).not.toBeNaN();
      expect(list<Data>(entry.link)[0]['@href']).toBe(
        `${server.url}/feeds/commitments/${COMMITMENT}.atom`,
      );
    }
    const subjects = new Set(events.flatMap((event) => event.metadata.actor?.subject ?? []));
    expect(subjects.size).toBeGreaterThan(0);
    for (const subject of subjects) expect(text).not.toContain(subject);
  });

  it('keeps its ids across fetches and answers 304 to a matching ETag', async () => {
    const url = `/feeds/agencies/${AGENCY}.atom`;
    const first = await atom(url);
    const second = await atom(url);
    expect(first.response.status).toBe(200);
    const ids = (feed: Data | undefined) => [feed?.id, ...list<Data>(feed?.entry).map((e) => e.id)];
    expect(ids(second.feed)).toEqual(ids(first.feed));
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(second.response.headers.get('etag')).toBe(etag);

    const cached = await fetch(`${server.url}${url}`, {
      headers: { 'If-None-Match': `"other", ${String(etag)}` },
    });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
    const stale = await fetch(`${server.url}${url}`, { headers: { 'If-None-Match': '"other"' } });
    expect(stale.status).toBe(200);
  });

  it('shows a new change at the top under a new ETag, earlier entries keeping their ids', async () => {
    const url = `/feeds/action-plans/${PLAN}.atom`;
    const before = await atom(url);
    const { body } = await graphql<Data>(
      server.url,
      `mutation { reportProgress(input: { commitmentId: "${COMMITMENT}", milestoneId: "m7", percent: 90 }) { positions } }`,
      undefined,
      steward,
    );
    expect(body.errors).toBeUndefined();
    const position = body.data?.reportProgress.positions[0];
    const [event] = await store.readAll({ from: position, limit: 1 });
    const after = await atom(url, { 'If-None-Match': String(before.response.headers.get('etag')) });
    expect(after.response.status).toBe(200);
    const entries = list<Data>(after.feed?.entry);
    expect(entries[0].id).toBe(`urn:uuid:${event.id}`);
    expect(entries[0].title['#text']).toBe(
      'CartagenaCuenta-2023: Avance de hito reportado / Milestone progress reported',
    );
    expect(entries[1].id).toBe(list<Data>(before.feed?.entry)[0].id);
  });

  it('serves the red flags as valid Atom, linked from redFlagRules, newest raised first, with stable ids and 304', async () => {
    const linked = await graphql<Data>(server.url, '{ redFlagRules { feedUrl } }');
    expect(linked.body.errors).toBeUndefined();
    const url = linked.body.data?.redFlagRules.feedUrl as string;
    expect(url).toBe('/feeds/red-flags.atom');
    const first = await atom(url);
    const second = await atom(url);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(first.text)).toBe(true);
    const { feed } = first;
    expect(feed?.['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed?.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
    expect(feed?.title).toBe('Alertas / Red flags');
    expect(Date.parse(feed?.updated)).not.toBeNaN();
    expect(list<Data>(feed?.link)).toContainEqual({
      '@rel': 'self',
      '@href': `${server.url}/feeds/red-flags.atom`,
    });
    const { body } = await graphql<Data>(
      server.url,
      '{ redFlags(first: 50) { totalCount edges { node { rule raisedAt closedAt } } } }',
    );
    expect(body.errors).toBeUndefined();
    const flags = (body.data?.redFlags.edges as Data[]).map(({ node }) => node);
    const entries = list<Data>(feed?.entry);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.map((e) => [e.category['@term'], e.published])).toEqual(
      flags.map((f) => [f.rule, new Date(f.raisedAt).toISOString()]),
    );
    for (const entry of entries) {
      expect(entry.id).toMatch(/^urn:uuid:/);
      expect(entry.title['@type']).toBe('html');
      expect(Date.parse(entry.updated)).toBeGreaterThanOrEqual(Date.parse(entry.published));
    }
    const ids = (f: Data | undefined) => [f?.id, ...list<Data>(f?.entry).map((e) => e.id)];
    expect(ids(second.feed)).toEqual(ids(feed));
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(second.response.headers.get('etag')).toBe(etag);
    const cached = await fetch(`${server.url}${url}`, {
      headers: { 'If-None-Match': String(etag) },
    });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
  });

  it('answers 404 in plain text for a feed of nothing', async () => {
    for (const url of [
      '/feeds/commitments/no-such-commitment.atom',
      '/feeds/agencies/nadie.atom',
      '/feeds/planets/earth.atom',
      `/feeds/commitments/${COMMITMENT}.rss`,
    ]) {
      const response = await fetch(`${server.url}${url}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    }
  });
});

describe('docs/open-data/statistics-and-feeds.md', () => {
  it('has examples valid against the committed schema, each answered with data and no error', async () => {
    const doc = await readFile('docs/open-data/statistics-and-feeds.md', 'utf8');
    const blocks = [...doc.matchAll(/```graphql\n([\s\S]*?)\n```/g)].map((match) => match[1]);
    expect(blocks).toHaveLength(4);
    const schema = buildSchema(await readFile('docs/schema.graphql', 'utf8'));
    for (const block of blocks) {
      expect(validate(schema, parse(block)).map((e) => e.message)).toEqual([]);
      const { body } = await graphql<Data>(server.url, block);
      expect({ block, errors: body.errors }).toEqual({ block, errors: undefined });
      expect(Object.values(body.data ?? {})[0]).not.toBeNull();
    }
  });
});
