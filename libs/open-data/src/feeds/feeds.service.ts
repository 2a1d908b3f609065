import { atomOf } from './atom.js';
import type { FeedEntryQueries } from './feed-entries.queries.js';
import type { FeedKind } from './feed-urls.js';

/**
 * Builds a feed's Atom document, its links under `base` (the API's address); undefined when
 * there is nothing by that key.
 */
export class FeedsService {
  constructor(
    private readonly queries: FeedEntryQueries,
    private readonly origin: string,
  ) {}

  async atom(kind: FeedKind, key: string, base: string): Promise<string | undefined> {
    const subject = await this.queries.subject(kind, key);
    if (subject === undefined) return undefined;
    const entries = await this.queries.entries(subject.streams);
    if (entries.length === 0) return undefined;
    return atomOf({ base, kind, key, name: subject.name, origin: this.origin, entries });
  }
}
