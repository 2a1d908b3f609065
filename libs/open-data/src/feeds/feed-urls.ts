/**
 * Where each feed is served, relative to the API's address (the server does not know the
 * address people reach it by, and the GraphQL answers are cached for everyone alike).
 */
export const FEEDS_PATH = 'feeds';

/** The kinds of feed, each with its path segment. */
export const FEED_KINDS = {
  commitment: 'commitments',
  agency: 'agencies',
  'action-plan': 'action-plans',
} as const;
export type FeedKind = keyof typeof FEED_KINDS;

/** The feed of one commitment, agency or action plan: `/feeds/commitments/<id>.atom`. */
export function feedUrl(kind: FeedKind, key: string): string {
  return `/${FEEDS_PATH}/${FEED_KINDS[kind]}/${encodeURIComponent(key)}.atom`;
}

/** The feed of red flags, newest raised first: `/feeds/red-flags.atom`. */
export const RED_FLAGS_FEED_FILE = 'red-flags.atom';
export const RED_FLAGS_FEED_URL = `/${FEEDS_PATH}/${RED_FLAGS_FEED_FILE}`;
