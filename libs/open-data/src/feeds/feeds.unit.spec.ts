import { describe, expect, it } from '@jest/globals';
import { labelOf, nameBasedUuid } from './atom.js';
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
