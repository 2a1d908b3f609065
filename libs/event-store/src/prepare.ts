import { randomUUID } from 'node:crypto';
import { canonicalize, hasLoneSurrogate, MAX_ENTRY_BYTES } from '#ledger';
import { InvalidEventError } from './event-store.errors.js';
import type { Actor, JsonObject, NewEvent } from './event-store.port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/;

/** An event checked and normalised before it joins a batch; only the position is missing. */
export interface PreparedEvent {
  id: string;
  /** RFC 8785 text of `data`, computed once while validating: the leaf holds it, and it is stored. */
  canonicalData: string;
  type: string;
  schemaVersion: number;
  metadata: {
    actor: Actor | null;
    occurredAt: string | undefined;
    reason?: string;
    correlationId?: string;
    causationId?: string;
    commandId?: string;
  };
  /**
   * RFC 8785 members of `metadata` that sort before `occurredAt` (actor, causationId,
   * commandId, correlationId, those present, comma-separated), computed once here.
   */
  canonicalMetadataHead: string;
  /** `,"reason":<text>` in RFC 8785 form when a reason was given, else empty. */
  canonicalReason: string;
}

/** Where the store places an event: only known when its batch is planned. */
export interface Placement {
  stream: string;
  streamVersion: number;
  position: number;
  /** The batch's record time, from `Date.prototype.toISOString`. */
  recordedAt: string;
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
    const checked: PreparedEvent['metadata'] = {
      actor: checkActor(metadata.actor, `${at}.metadata.actor`),
      occurredAt: checkTime(metadata.occurredAt, `${at}.metadata.occurredAt`),
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
      checked[key] = storableText(value, `${at}.metadata.${key}`);
    }
    const prepared: PreparedEvent = {
      id,
      canonicalData: canonicalJson(event.data, `${at}.data`),
      type: event.type,
      schemaVersion,
      metadata: checked,
      ...canonicalMetadata(checked),
    };
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
  const widest: Placement = {
    stream,
    streamVersion: Number.MAX_SAFE_INTEGER,
    position: Number.MAX_SAFE_INTEGER,
    recordedAt: WIDEST_TIME,
  };
  const { leaf } = canonicalTexts(prepared, widest);
  const bytes = Buffer.byteLength(leaf);
  if (bytes > MAX_ENTRY_BYTES) {
    throw new InvalidEventError(
      `${at}.data`,
      `is too large: the event's canonical JSON would take ${bytes} bytes, and the log ` +
        `serves at most ${MAX_ENTRY_BYTES} bytes per event`,
    );
  }
}

/**
 * The RFC 8785 texts of checked metadata, made once so that planning a batch only joins
 * texts. Every string in it passed `storableText`, so canonicalization cannot refuse it.
 */
function canonicalMetadata(
  metadata: PreparedEvent['metadata'],
): Pick<PreparedEvent, 'canonicalMetadataHead' | 'canonicalReason'> {
  const { actor, causationId, commandId, correlationId, reason } = metadata;
  // The members that sort before `occurredAt`; `reason` sorts after it (see canonicalTexts).
  const head: Record<string, unknown> = { actor };
  if (causationId !== undefined) head.causationId = causationId;
  if (commandId !== undefined) head.commandId = commandId;
  if (correlationId !== undefined) head.correlationId = correlationId;
  return {
    canonicalMetadataHead: canonicalize(head).slice(1, -1),
    canonicalReason: reason === undefined ? '' : `,"reason":${canonicalize(reason)}`,
  };
}

/**
 * A metadata string the log can store and hash, refused on its own field otherwise (not
 * when its batch is written, where it would fail with a database error naming nothing):
 * PostgreSQL's jsonb has no NUL character, and RFC 8785 no form for a lone surrogate.
 */
function storableText(value: string, at: string): string {
  if (value.includes('\u0000')) {
    throw new InvalidEventError(at, 'must not contain the NUL character (\\u0000)');
  }
  if (hasLoneSurrogate(value)) throw new InvalidEventError(at, 'must not contain a lone surrogate');
  return value;
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
  storableText(subject, `${at}.subject`);
  storableText(role, `${at}.role`);
  if (agency !== undefined) storableText(agency, `${at}.agency`);
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

/**
 * The RFC 8785 texts of an event placed at `placement`: its metadata (as stored) and its
 * whole envelope, the ledger leaf, equal to `canonicalize` of the envelope (what
 * `leafBytesOf` in #ledger hashes). They are joined from texts canonicalized when the event
 * was prepared, in RFC 8785's member order: envelope members sort as data, id, metadata,
 * position, schemaVersion, stream, streamVersion, type, and metadata members as actor,
 * causationId, commandId, correlationId, occurredAt, reason, recordedAt. Strings are written
 * by JSON.stringify, which is RFC 8785's string form; names and types are ASCII, times come
 * from toISOString, and integers print alike in both.
 */
export function canonicalTexts(
  prepared: PreparedEvent,
  placement: Placement,
): { metadata: string; leaf: string } {
  const occurredAt = prepared.metadata.occurredAt ?? placement.recordedAt;
  // The head always holds `actor` (null for the system), so it is never empty.
  const metadata =
    `{${prepared.canonicalMetadataHead},"occurredAt":${JSON.stringify(occurredAt)}` +
    `${prepared.canonicalReason},"recordedAt":${JSON.stringify(placement.recordedAt)}}`;
  const leaf =
    `{"data":${prepared.canonicalData},"id":${JSON.stringify(prepared.id)},` +
    `"metadata":${metadata},"position":${placement.position},` +
    `"schemaVersion":${prepared.schemaVersion},"stream":${JSON.stringify(placement.stream)},` +
    `"streamVersion":${placement.streamVersion},"type":${JSON.stringify(prepared.type)}}`;
  return { metadata, leaf };
}
