import { createHmac, randomUUID } from 'node:crypto';

/**
 * Pseudonymous ids for callers without a token: `anon:` and an HMAC-SHA-256 of the
 * client's session id (the `X-Cuenta-Session` header, or `session` in the graphql-ws
 * connection parameters) under a per-deployment secret. The same session always gets the
 * same id, so a moderator can tell one anonymous writer's evaluations apart from another's;
 * no IP address or other personal data goes in. Without a session every request gets a
 * fresh, unlinkable id.
 */
export class AnonymousIds {
  constructor(private readonly secret: string) {}

  pseudonym(session?: string): string {
    const input = session && session.length <= 512 ? `session:${session}` : `once:${randomUUID()}`;
    return `anon:${createHmac('sha256', this.secret).update(input).digest('base64url').slice(0, 22)}`;
  }
}
