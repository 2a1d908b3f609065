import { createHash } from 'node:crypto';

/** A strong entity tag of a body: its SHA-256, so equal bodies always get equal tags. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

/**
 * Whether an If-None-Match header names this tag (RFC 9110 13.1.2: weak comparison, so a
 * `W/` prefix is ignored; `*` matches any).
 */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
