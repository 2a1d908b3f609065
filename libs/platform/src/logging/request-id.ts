import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header that carries a request's id, in and out. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An id a caller (or its proxy) may choose: short, and only characters that cannot carry
 * anything but an id into the log. Anything else is replaced by a fresh one.
 */
const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const scope = new AsyncLocalStorage<string>();

/** The caller's id when it is sane, else a fresh UUID. */
export function chooseRequestId(incoming: string | string[] | undefined): string {
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
  return candidate !== undefined && SANE_ID.test(candidate) ? candidate : randomUUID();
}

/** The id of the HTTP request or graphql-ws operation whose work is running, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore();
}

/** Runs `work` (and everything it starts) as part of the request or operation `id`. */
export function withRequestId<T>(id: string, work: () => T): T {
  return scope.run(id, work);
}

const IDS = new WeakMap<IncomingMessage, string>();

/** The id given to `request` (HTTP, or a graphql-ws connection's upgrade), choosing it once. */
export function requestIdOf(request: IncomingMessage): string {
  let id = IDS.get(request);
  if (id === undefined) {
    id = chooseRequestId(request.headers['x-request-id']);
    IDS.set(request, id);
  }
  return id;
}

/**
 * Express middleware: gives each request its id, returns it in `X-Request-Id`, and runs
 * the rest of the request under it so every log line it causes carries it.
 */
export function requestIdMiddleware(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  const id = requestIdOf(request);
  if (!response.headersSent) response.setHeader(REQUEST_ID_HEADER, id);
  withRequestId(id, next);
}
