import { InvalidEnvelopeError } from '../errors.js';
import { canonicalBytes } from '../jcs/canonicalize.js';

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who caused an event; null for system events. */
export interface EventActor {
  subject: string;
  role: string;
  agency?: string;
}

export interface EventMetadata {
  actor: EventActor | null;
  /** Business time, ISO-8601. */
  occurredAt: string;
  /** When the store wrote the event, ISO-8601. */
  recordedAt: string;
  reason?: string;
  correlationId?: string;
  causationId?: string;
  commandId?: string;
}

/**
 * One event exactly as the ledger hashes it. The leaf for `position` p is
 * `leafBytesOf(envelope)`, the UTF-8 of its RFC 8785 canonical JSON. Optional fields are
 * absent, never `undefined` (canonicalization rejects `undefined`).
 */
export interface EventEnvelope {
  /** UUID. */
  id: string;
  stream: string;
  /** 1-based version of the event within its stream. */
  streamVersion: number;
  /** 0-based global position, which is also the leaf index in the Merkle tree. */
  position: number;
  type: string;
  schemaVersion: number;
  data: JsonObject;
  metadata: EventMetadata;
}

/** The Merkle leaf bytes of an event: UTF-8 of `canonicalize(envelope)`. */
export function leafBytesOf(envelope: EventEnvelope): Uint8Array {
  return canonicalBytes(envelope);
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// Date and time with seconds, optional fraction, and a zone (Z or an offset): what
// Date.prototype.toISOString produces, and what other ISO-8601 writers commonly produce.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const ENVELOPE_KEYS = new Set([
  'id',
  'stream',
  'streamVersion',
  'position',
  'type',
  'schemaVersion',
  'data',
  'metadata',
]);
const METADATA_KEYS = new Set([
  'actor',
  'occurredAt',
  'recordedAt',
  'reason',
  'correlationId',
  'causationId',
  'commandId',
]);
const ACTOR_KEYS = new Set(['subject', 'role', 'agency']);

/**
 * Checks that `value` (typically from JSON.parse) has the fixed envelope shape and returns it
 * typed. Unknown members are rejected, because an exporter and a verifier that disagree on the
 * envelope would disagree on every leaf. `data` is only checked to be an object; its JSON-ness
 * is enforced by canonicalization.
 */
export function parseEventEnvelope(value: unknown): EventEnvelope {
  const envelope = objectAt(value, '');
  onlyKeys(envelope, ENVELOPE_KEYS, '');
  stringAt(envelope, 'id', '');
  if (!UUID.test(envelope.id as string)) throw new InvalidEnvelopeError('/id', 'not a UUID');
  stringAt(envelope, 'stream', '');
  integerAt(envelope, 'streamVersion', '', 1);
  integerAt(envelope, 'position', '', 0);
  stringAt(envelope, 'type', '');
  integerAt(envelope, 'schemaVersion', '', 1);
  objectAt(envelope.data, '/data');
  const metadata = objectAt(envelope.metadata, '/metadata');
  onlyKeys(metadata, METADATA_KEYS, '/metadata');
  if (!('actor' in metadata)) throw new InvalidEnvelopeError('/metadata/actor', 'missing');
  if (metadata.actor !== null) {
    const actor = objectAt(metadata.actor, '/metadata/actor');
    onlyKeys(actor, ACTOR_KEYS, '/metadata/actor');
    stringAt(actor, 'subject', '/metadata/actor');
    stringAt(actor, 'role', '/metadata/actor');
    if ('agency' in actor) stringAt(actor, 'agency', '/metadata/actor', { allowEmpty: true });
  }
  for (const key of ['occurredAt', 'recordedAt']) {
    stringAt(metadata, key, '/metadata');
    if (!ISO_8601.test(metadata[key] as string)) {
      throw new InvalidEnvelopeError(`/metadata/${key}`, 'not an ISO-8601 date-time with zone');
    }
  }
  for (const key of ['reason', 'correlationId', 'causationId', 'commandId']) {
    if (key in metadata) stringAt(metadata, key, '/metadata', { allowEmpty: true });
  }
  return envelope as unknown as EventEnvelope;
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEnvelopeError(path, 'expected an object');
  }
  return value as Record<string, unknown>;
}

function onlyKeys(object: Record<string, unknown>, allowed: Set<string>, path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) throw new InvalidEnvelopeError(`${path}/${key}`, 'unknown member');
  }
}

function stringAt(
  object: Record<string, unknown>,
  key: string,
  path: string,
  options: { allowEmpty?: boolean } = {},
): void {
  const value = object[key];
  if (typeof value !== 'string')
    throw new InvalidEnvelopeError(`${path}/${key}`, 'expected a string');
  if (value === '' && !options.allowEmpty) {
    throw new InvalidEnvelopeError(`${path}/${key}`, 'expected a non-empty string');
  }
}

function integerAt(object: Record<string, unknown>, key: string, path: string, min: number): void {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidEnvelopeError(`${path}/${key}`, `expected an integer >= ${min}`);
  }
}
