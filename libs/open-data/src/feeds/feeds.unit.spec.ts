import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RedFlag } from '#oversight';
import { labelOf, nameBasedUuid, redFlagsAtomOf } from './atom.js';
import { etagOf, noneMatchHits } from './conditional-get.js';
import { feedUrl } from './feed-urls.js';

describe('feed ids', () => {
  it('are RFC 4122 version 5 UUIDs in the URL namespace (vectors from Python uuid.uuid5)', () => {
    expect(nameBasedUuid('https://www.python.org/')).toBe('5406f80d-92e9-51cd-a176-77445955e733');
    expect(
      nameBasedUuid('cuenta.example/cartagena/feeds/commitments/cartagena-cuenta-2023.atom'),
    ).toBe('5f8b750e-39f7-5326-9e99-825fb1da83da');
  });
});

describe('feed URLs', () => {
  it('escape the key as a path segment', () => {
    expect(feedUrl('commitment', 'a b/c')).toBe('/feeds/commitments/a%20b%2Fc.atom');
    expect(feedUrl('agency', 'alcaldia-cartagena')).toBe('/feeds/agencies/alcaldia-cartagena.atom');
    expect(feedUrl('action-plan', 'cartagena-2023')).toBe(
      '/feeds/action-plans/cartagena-2023.atom',
    );
  });
});

describe('conditional GET', () => {
  const tag = etagOf('<feed/>');

  it('tags equal bodies alike and different bodies apart', () => {
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(etagOf('<feed/>')).toBe(tag);
    expect(etagOf('<feed />')).not.toBe(tag);
  });

  it('matches the tag among others, weak or strong, and *', () => {
    expect(noneMatchHits(tag, tag)).toBe(true);
    expect(noneMatchHits(`"x", W/${tag}`, tag)).toBe(true);
    expect(noneMatchHits('*', tag)).toBe(true);
  });

  it('does not match another tag, or no header', () => {
    expect(noneMatchHits('"x"', tag)).toBe(false);
    expect(noneMatchHits(undefined, tag)).toBe(false);
  });
});

describe('entry labels', () => {
  it('are in Spanish and English, a type not known yet shown by its name', () => {
    expect(labelOf('MilestoneCompleted')).toEqual(['Hito cumplido', 'Milestone completed']);
    expect(labelOf('SomethingNew')).toEqual(['SomethingNew', 'SomethingNew']);
  });
});

describe('the red flags feed', () => {
  const flag = (id: string, raisedAt: string, closedAt: string | null): RedFlag => ({
    id,
    rule: 'CF-01',
    ruleVersion: 1,
    subject: { kind: 'milestone', id: 'm1', commitmentIds: ['c-1'] },
    raisedAt,
    closedAt,
    state: closedAt === null ? 'open' : 'closed',
    evidence: [3, 9],
    justifications: [{ position: 12, justifiedAt: '2024-02-01T00:00:00.000Z', reason: 'Ana dijo' }],
  });
  const parse = (text: string) =>
    new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(text).feed;
  const base = 'https://cuenta.example';
  const origin = 'cuenta.example/cartagena';

  it('gives each flag an entry whose id comes from the flag id and the log, updated when it closes', () => {
    const flags = [
      flag('CF-01:a', '2024-03-01T00:00:00.000Z', null),
      flag('CF-01:b', '2024-01-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'),
    ];
    const text = redFlagsAtomOf({ base, origin, flags });
    expect(XMLValidator.validate(text)).toBe(true);
    const feed = parse(text);
    expect(feed.id).toBe(`urn:uuid:${nameBasedUuid(`${origin}/feeds/red-flags.atom`)}`);
    expect(feed.updated).toBe('2024-04-01T00:00:00.000Z');
    expect(feed.entry.map((e: { id: string }) => e.id)).toEqual([
      `urn:uuid:${nameBasedUuid(`${origin}/feeds/red-flags.atom#CF-01:a`)}`,
      `urn:uuid:${nameBasedUuid(`${origin}/feeds/red-flags.atom#CF-01:b`)}`,
    ]);
    expect(feed.entry[1].published).toBe('2024-01-01T00:00:00.000Z');
    expect(feed.entry[1].updated).toBe('2024-04-01T00:00:00.000Z');
    expect(feed.entry[0].link['@href']).toBe(`${base}/feeds/commitments/c-1.atom`);
    // A justification is counted, never quoted: its reason may name someone.
    expect(text).not.toContain('Ana dijo');
    expect(text).toContain('justifications: 1');
    const other = parse(redFlagsAtomOf({ base, origin: 'other.example/log', flags }));
    expect(other.entry[0].id).not.toBe(feed.entry[0].id);
  });

  it('is valid with no flag, updated at the epoch, so its tag changes only when a flag does', () => {
    const text = redFlagsAtomOf({ base, origin, flags: [] });
    expect(XMLValidator.validate(text)).toBe(true);
    expect(parse(text).updated).toBe('1970-01-01T00:00:00.000Z');
    expect(etagOf(redFlagsAtomOf({ base, origin, flags: [] }))).toBe(etagOf(text));
  });
});
