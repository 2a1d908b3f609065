import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { canonicalize } from '#ledger';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { SensitiveDataWithoutAuthorizationError } from './personal-data.errors.js';

/*
 * Personal data under Ley 1581 de 2012, the pure part: which fields of an event are personal,
 * the salted commitment the log keeps instead of a value, and the placeholder that holds it.
 * No I/O here but node:crypto's random numbers and hashes.
 */

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

/**
 * What a personal value is, which decides who may see it: `name` and `contact` let the
 * administration answer the person; `sensitive` is a sensitive datum of Ley 1581 art. 5 (a
 * self-declared inclusion group) and needs explicit authorization; `comment` is the text of
 * a person's own comment.
 */
export const PERSONAL_KINDS = ['contact', 'sensitive', 'comment', 'name'] as const;
export type PersonalKind = (typeof PERSONAL_KINDS)[number];

/**
 * A context's list of personal fields: for each event type, the JSON Pointers (RFC 6901)
 * of its personal members within the event's data, and what kind each is, e.g.
 * `{ CommentPosted: { '/comment': 'comment', '/contact': 'contact', '/groups': 'sensitive' } }`.
 * A pointer names one member; a member that is absent or null holds nothing personal.
 */
export type PersonalDataDeclaration = Readonly<
  Record<string, Readonly<Record<string, PersonalKind>>>
>;

/**
 * The authorization a person gave for their data (Ley 1581 art. 9): for which purpose, under
 * which version of the privacy notice (SHA-256 of its text, `sha256:<64 hex>`), and when
 * (ISO-8601). It is not personal and is recorded in the event beside each value.
 */
export interface PersonalDataAuthorization {
  purpose: string;
  noticeHash: string;
  givenAt: string;
}

/**
 * What the event holds where a personal value was, as its only member `personal`:
 * - `subject`: the person's pseudonymous subject id (a UUID that names nobody);
 * - `ref`: the stored value's id (a UUID) in the personal-data store;
 * - `commitment`: `sha256:` and the lower-case hex SHA-256 of the 32-byte salt followed by the
 *   UTF-8 bytes of the value's RFC 8785 canonical JSON (`personalCommitment`);
 * - `authorization`: the authorization given for it, when one was.
 * The log, its leaf hashes, every proof and every export hold this and never the value; after
 * an erasure it stays, and proves nothing about the value to anyone without the salt.
 */
export interface PersonalPlaceholder {
  personal: {
    subject: string;
    ref: string;
    commitment: string;
    authorization?: PersonalDataAuthorization;
  };
}

/** A personal value taken out of an event, to be encrypted into the store. */
export interface PersonalValue {
  /** The value's id: `ref` of its placeholder. */
  ref: string;
  eventId: string;
  /** JSON Pointer of the value within the event's data. */
  path: string;
  kind: PersonalKind;
  value: JsonValue;
  /** 32 random bytes; the author gets them in their receipt. */
  salt: Uint8Array;
  commitment: string;
}

/** Where salts and value ids come from; tests pin them. */
export interface PersonalRandom {
  id(): string;
  salt(): Uint8Array;
}

export const SALT_BYTES = 32;
const COMMITMENT = /^sha256:[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_PURPOSE = 500;

const nodeRandom: PersonalRandom = { id: randomUUID, salt: () => randomBytes(SALT_BYTES) };

/**
 * `sha256:<hex>` of the salt followed by the value's canonical bytes (RFC 8785). Without the
 * salt, a value with few possibilities (a group, a territory) cannot be guessed from it.
 * Precondition: `salt` is 32 bytes and `value` is plain JSON (canonicalize throws otherwise).
 */
export function personalCommitment(value: JsonValue, salt: Uint8Array): string {
  if (salt.length !== SALT_BYTES) throw new RangeError(`a salt is ${SALT_BYTES} bytes`);
  const hash = createHash('sha256').update(salt).update(canonicalize(value), 'utf8');
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Whether `value` with `salt` (base64url, as a receipt gives it, or bytes) is what
 * `commitment` was made from: how an author shows their contribution was recorded unaltered.
 */
export function verifyPersonalValue(
  value: JsonValue,
  salt: string | Uint8Array,
  commitment: string,
): boolean {
  const bytes = typeof salt === 'string' ? Buffer.from(salt, 'base64url') : salt;
  if (bytes.length !== SALT_BYTES || !COMMITMENT.test(commitment)) return false;
  let computed: string;
  try {
    computed = personalCommitment(value, bytes);
  } catch {
    return false;
  }
  return timingSafeEqual(Buffer.from(computed), Buffer.from(commitment));
}

/** Whether a member of an event's data is a placeholder (see PersonalPlaceholder). */
export function isPersonalPlaceholder(value: unknown): value is PersonalPlaceholder {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const inner = (value as { personal?: unknown }).personal;
  if (keys.length !== 1 || typeof inner !== 'object' || inner === null) return false;
  const { subject, ref, commitment } = inner as Record<string, unknown>;
  return (
    typeof subject === 'string' &&
    UUID.test(subject) &&
    typeof ref === 'string' &&
    UUID.test(ref) &&
    typeof commitment === 'string' &&
    COMMITMENT.test(commitment)
  );
}

/**
 * The authorization, checked, or an InvalidInputError naming the member at fault (under
 * `authorization.`). Undefined stays undefined: whether one is needed is `sealEventData`'s
 * question.
 */
export function checkAuthorization(
  authorization: PersonalDataAuthorization | undefined,
): PersonalDataAuthorization | undefined {
  if (authorization === undefined) return undefined;
  if (typeof authorization !== 'object' || authorization === null) {
    throw new InvalidInputError('authorization', 'must be { purpose, noticeHash, givenAt }');
  }
  const { purpose, noticeHash, givenAt } = authorization;
  if (typeof purpose !== 'string' || purpose.trim() === '' || purpose.length > MAX_PURPOSE) {
    throw new InvalidInputError(
      'authorization.purpose',
      `must be a non-empty text of at most ${MAX_PURPOSE} characters`,
    );
  }
  if (typeof noticeHash !== 'string' || !COMMITMENT.test(noticeHash)) {
    throw new InvalidInputError(
      'authorization.noticeHash',
      'must be sha256: and the 64 lower-case hex digits of the privacy notice it refers to',
    );
  }
  const date = typeof givenAt === 'string' ? new Date(givenAt) : new Date(NaN);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(givenAt)) {
    throw new InvalidInputError(
      'authorization.givenAt',
      'must be an ISO-8601 date-time such as 2026-03-01T10:00:00Z',
    );
  }
  return { purpose, noticeHash, givenAt: date.toISOString() };
}

/**
 * An event's data with each personal member (as `declaration` lists them for `eventType`)
 * replaced by its placeholder, and the values taken out, each with a fresh salt and id.
 * Other members are kept as they are (the same objects, not copies).
 *
 * Refuses (before anything is stored) a sensitive value without an authorization, with
 * SensitiveDataWithoutAuthorizationError naming the field, and a value that is not plain
 * JSON, with InvalidInputError; neither message quotes the value.
 */
export function sealEventData(args: {
  eventId: string;
  eventType: string;
  data: JsonObject;
  declaration: PersonalDataDeclaration;
  subjectId: string;
  authorization?: PersonalDataAuthorization;
  random?: PersonalRandom;
}): { data: JsonObject; values: PersonalValue[] } {
  const fields = args.declaration[args.eventType] ?? {};
  const random = args.random ?? nodeRandom;
  const authorization = checkAuthorization(args.authorization);
  let data = args.data;
  const values: PersonalValue[] = [];
  for (const [path, kind] of Object.entries(fields)) {
    const value = valueAt(data, path);
    if (value === undefined || value === null) continue;
    if (kind === 'sensitive' && authorization === undefined) {
      throw new SensitiveDataWithoutAuthorizationError(fieldName(path));
    }
    try {
      canonicalize(value);
    } catch {
      throw new InvalidInputError(fieldName(path), 'must be plain JSON');
    }
    const salt = random.salt();
    const ref = random.id();
    const commitment = personalCommitment(value, salt);
    const placeholder: PersonalPlaceholder = {
      personal: {
        subject: args.subjectId,
        ref,
        commitment,
        ...(authorization ? { authorization } : {}),
      },
    };
    data = withValueAt(data, path, placeholder as unknown as JsonObject);
    values.push({ ref, eventId: args.eventId, path, kind, value, salt, commitment });
  }
  return { data, values };
}

/**
 * Checks a declaration once, where a context defines it: every pointer is a JSON Pointer to a
 * member (not the whole data) and every kind is known.
 */
export function checkDeclaration(declaration: PersonalDataDeclaration): PersonalDataDeclaration {
  for (const [eventType, fields] of Object.entries(declaration)) {
    for (const [path, kind] of Object.entries(fields)) {
      if (!/^(\/([^~/]|~[01])*)+$/.test(path)) {
        throw new Error(`${eventType}: "${path}" is not a JSON Pointer to a member`);
      }
      if (!PERSONAL_KINDS.includes(kind)) {
        throw new Error(
          `${eventType} ${path}: "${kind}" is not one of ${PERSONAL_KINDS.join(', ')}`,
        );
      }
    }
  }
  return declaration;
}

/** `/contact/email` as the API names fields: `contact.email`. */
export function fieldName(path: string): string {
  return segments(path).join('.');
}

function segments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(data: JsonValue, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = data;
  for (const segment of segments(path)) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else {
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    }
  }
  return current;
}

/** `data` with the member at `path` (which exists) replaced, copying only the containers on the way. */
function withValueAt(data: JsonObject, path: string, value: JsonValue): JsonObject {
  const replace = (container: JsonValue, rest: string[]): JsonValue => {
    if (rest.length === 0) return value;
    const [head, ...tail] = rest;
    if (Array.isArray(container)) {
      const copy = [...container];
      copy[Number(head)] = replace(container[Number(head)], tail);
      return copy;
    }
    const object = container as JsonObject;
    return { ...object, [head]: replace(object[head], tail) };
  };
  return replace(data, segments(path)) as JsonObject;
}
