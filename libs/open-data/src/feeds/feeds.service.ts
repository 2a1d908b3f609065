import type { RedFlagQueries, Thresholds } from '#oversight';
import { atomOf, redFlagsAtomOf } from './atom.js';
import { FEED_ENTRIES, type FeedEntryQueries } from './feed-entries.queries.js';
import type { FeedKind } from './feed-urls.js';

/**
 * Builds a feed's Atom document, its links under `base` (the API's address); undefined when
 * there is nothing by that key.
 */
export class FeedsService {
  constructor(
    private readonly queries: FeedEntryQueries,
    private readonly origin: string,
    private readonly redFlags: { queries: RedFlagQueries; thresholds: Thresholds },
  ) {}

  async atom(kind: FeedKind, key: string, base: string): Promise<string | undefined> {
    const subject = await this.queries.subject(kind, key);
    if (subject === undefined) return undefined;
    const entries = await this.queries.entries(subject.streams);
    if (entries.length === 0) return undefined;
    return atomOf({ base, kind, key, name: subject.name, origin: this.origin, entries });
  }

  /**
   * The red flags' feed: the newest FEED_ENTRIES flags raised, judged at `now` with the
   * thresholds in force, as `redFlags` judges them when asked without `asOf`.
   */
  async redFlagsAtom(base: string, now: Date): Promise<string> {
    const flags = await this.redFlags.queries.flags(
      {},
      now.toISOString(),
      this.redFlags.thresholds,
    );
    return redFlagsAtomOf({ base, origin: this.origin, flags: flags.slice(0, FEED_ENTRIES) });
  }
}
