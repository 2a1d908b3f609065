import { randomUUID } from 'node:crypto';
import { canonicalize, MAX_ENTRY_BYTES, type EventEnvelope } from '#ledger';
import { InvalidEventError } from './event-store.errors.js';
import type { Actor, JsonObject, NewEvent } from './event-store.port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/;

/** An event checked and normalised before it joins a batch; only the position is missing. */
export interface PreparedEvent {
  id: string;
  /** RFC 8785 text of `data`, computed once while validating and reused for the leaf. */
  canonicalData: string;
  type: string;
  schemaVersion: number;
  data: JsonObject;
  metadata: {
    actor: Actor | null;
    occurredAt: string | undefined;
    reason?: string;
    correlationId?: string;
    causationId?: string;
    commandId?: string;
  };
}

/**
 * Validates what a caller wants to append, so that a bad event is refused with a field-named
 * error before it can affect a batch it shares with other callers' events.
 */
export function prepareAppend(stream: string, events: NewEvent[]): PreparedEvent[] {
  if (typeof stream !== 'string' || !NAME.test(stream)) {
    throw new InvalidEventError(
      'stream',
      'must be 1 to 200 characters of letters, digits and . _ : @ / - (starting with a letter or digit)',
    );
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidEventError('events', 'must hold at least one event');
  }
  const ids = new Set<string>();
  return events.map((event, index) => {
    const at = `events[${index}]`;
    const id = (event.id ?? randomUUID()).toLowerCase();
    if (!UUID.test(id)) throw new InvalidEventError(`${at}.id`, 'must be a UUID');
    if (ids.has(id))
      throw new InvalidEventError(`${at}.id`, 'repeats an id earlier in this append');
    ids.add(id);
    if (typeof event.type !== 'string' || !NAME.test(event.type)) {
      throw new InvalidEventError(
        `${at}.type`,
        'must be a name of 1 to 200 letters, digits or . _ : @ / -',
      );
    }
    const schemaVersion = event.schemaVersion ?? 1;
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
      throw new InvalidEventError(`${at}.schemaVersion`, 'must be an integer of at least 1');
    }
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidEventError(`${at}.data`, 'must be a JSON object');
    }
    const metadata = event.metadata;
    if (metadata === null || typeof metadata !== 'object') {
      throw new InvalidEventError(`${at}.metadata`, 'must be an object with an actor');
    }
    const prepared: PreparedEvent = {
      id,
      canonicalData: canonicalJson(event.data, `${at}.data`),
      type: event.type,
      schemaVersion,
      data: event.data,
      metadata: {
        actor: checkActor(metadata.actor, `${at}.metadata.actor`),
        occurredAt: checkTime(metadata.occurredAt, `${at}.metadata.occurredAt`),
      },
    };
    for (const key of ['reason', 'correlationId', 'causationId', 'commandId'] as const) {
      const value = metadata[key];
      if (value === undefined) continue;
      if (typeof value !== 'string' || value.length === 0 || value.length > 2000) {
        throw new InvalidEventError(
          `${at}.metadata.${key}`,
          'must be a non-empty string of at most 2000 characters',
        );
      }
      prepared.metadata[key] = value;
    }
    checkLeafSize(stream, prepared, at);
    return prepared;
  });
}

/** The widest record time the store can give an event (`toISOString` of a 4-digit year). */
const WIDEST_TIME = '2000-01-01T00:00:00.000Z';

/**
 * A quick upper bound of the leaf's bytes: canonical `data` takes at most 3 UTF-8 bytes per
 * UTF-16 unit; any other text at most 6 (a `\u00XX` escape); the member names, numbers, times
 * and id take less than 400.
 */
function roughLeafBound(stream: string, prepared: PreparedEvent): number {
  const { actor, reason, correlationId, causationId, commandId } = prepared.metadata;
  const texts = [stream, prepared.type, reason, correlationId, causationId, commandId];
  texts.push(actor?.subject, actor?.role, actor?.agency);
  const units = texts.reduce((sum, text) => sum + (text?.length ?? 0), 0);
  return 3 * prepared.canonicalData.length + 6 * units + 400;
}

/**
 * An event's leaf (its canonical JSON) is served whole in the log's tlog-tiles entry bundles,
 * which frame an entry with a 16-bit length: a larger event could be stored but never served
 * to mirrors and monitors, so it is refused here. The bound takes the widest position,
 * stream version and record time the store can give the event.
 */
function checkLeafSize(stream: string, prepared: PreparedEvent, at: string): void {
  if (roughLeafBound(stream, prepared) <= MAX_ENTRY_BYTES) return;
  const widest: EventEnvelope = {
    id: prepared.id,
    stream,
    streamVersion: Number.MAX_SAFE_INTEGER,
    position: Number.MAX_SAFE_INTEGER,
    type: prepared.type,
    schemaVersion: prepared.schemaVersion,
    data: {},
    metadata: {
      ...prepared.metadata,
      occurredAt: prepared.metadata.occurredAt ?? WIDEST_TIME,
      recordedAt: WIDEST_TIME,
    },
  };
  const bytes = leafBytesWith(widest, prepared.canonicalData).length;
  if (bytes > MAX_ENTRY_BYTES) {
    throw new InvalidEventError(
      `${at}.data`,
      `is too large: the event's canonical JSON would take ${bytes} bytes, and the log ` +
        `serves at most ${MAX_ENTRY_BYTES} bytes per event`,
    );
  }
}

function checkActor(actor: Actor | null | undefined, at: string): Actor | null {
  if (actor === null) return null;
  if (actor === undefined || typeof actor !== 'object') {
    throw new InvalidEventError(at, 'must be { subject, role, agency? } or null for the system');
  }
  const { subject, role, agency } = actor;
  if (typeof subject !== 'string' || subject.length === 0) {
    throw new InvalidEventError(`${at}.subject`, 'must be a non-empty string');
  }
  if (typeof role !== 'string' || role.length === 0) {
    throw new InvalidEventError(`${at}.role`, 'must be a non-empty string');
  }
  if (agency !== undefined && (typeof agency !== 'string' || agency.length === 0)) {
    throw new InvalidEventError(`${at}.agency`, 'must be a non-empty string when given');
  }
  return agency === undefined ? { subject, role } : { subject, role, agency };
}

function checkTime(value: Date | string | undefined, at: string): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (
    Number.isNaN(date.getTime()) ||
    (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value))
  ) {
    throw new InvalidEventError(at, 'must be an ISO-8601 date-time such as 2023-03-01T00:00:00Z');
  }
  return date.toISOString();
}

/**
 * The ledger hashes the canonical JSON of what is stored, and PostgreSQL's jsonb refuses
 * NUL characters, so both rules are checked here (canonicalize also refuses lone
 * surrogates, non-finite numbers and non-JSON values).
 */
function canonicalJson(data: JsonObject, at: string): string {
  let text: string;
  try {
    text = canonicalize(data);
  } catch (error) {
    throw new InvalidEventError(at, `must be plain JSON: ${(error as Error).message}`);
  }
  if (text.includes('\\u0000')) {
    throw new InvalidEventError(at, 'must not contain the NUL character (\\u0000)');
  }
  return text;
}

const encoder = new TextEncoder();

/**
 * The leaf bytes of an event (what `leafBytesOf` in #ledger returns), reusing the canonical
 * text of `data` computed at validation instead of canonicalizing it a second time.
 * RFC 8785 sorts members by name and "data" sorts before every other envelope member, so
 * the canonical envelope is `{"data":<data>,` followed by the rest's canonical members.
 */
export function leafBytesWith(envelope: EventEnvelope, canonicalData: string): Uint8Array {
  const { data: _data, ...rest } = envelope;
  return encoder.encode(`{"data":${canonicalData},${canonicalize(rest).slice(1)}`);
}
