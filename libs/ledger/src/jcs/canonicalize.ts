import { CanonicalizationError } from '../errors.js';
import { utf8 } from '../encoding/bytes.js';
import { hasLoneSurrogate } from '../encoding/text.js';

/**
 * The RFC 8785 (JCS) canonical JSON text of `value`: object members sorted by the UTF-16 code
 * units of their names, no whitespace, strings escaped as ECMAScript's JSON.stringify does and
 * numbers written as ECMAScript's Number.prototype.toString does (both are what RFC 8785
 * specifies).
 *
 * Precondition: `value` is I-JSON made of null, booleans, finite numbers, strings without lone
 * surrogates, arrays and plain objects. Anything else (undefined, NaN, Infinity, bigint,
 * functions, symbols, Dates, class instances, cycles) throws a CanonicalizationError naming its
 * path, rather than being dropped or converted the way JSON.stringify would: a ledger leaf must
 * mean exactly what the caller passed.
 */
export function canonicalize(value: unknown): string {
  return write(value, { ancestors: [], path: [] });
}

/**
 * Whether `text` is exactly `canonicalize(parsed)`, where `parsed` is what `JSON.parse(text)`
 * returned (so it holds only what JSON.parse makes: plain objects, arrays, strings, finite
 * numbers, booleans and null). Throws as `canonicalize(parsed)` would, for example on a lone
 * surrogate.
 *
 * The bundle verifier asks this of every event line, so it first tries JSON.stringify, which
 * writes strings and numbers exactly as RFC 8785 does: when every object's member names are
 * already in UTF-16 code unit order, as JSON.stringify enumerates them, and no string has a
 * lone surrogate, the two texts are the same. Integer-like names ("10" before "9") enumerate
 * first and in numeric order, so an object holding them may fail that order check and take
 * the full path, as does anything else the shortcut does not settle.
 */
export function isCanonicalJson(text: string, parsed: unknown): boolean {
  // JSON.stringify escapes a lone surrogate as `\udXXX` (lowercase), so a text equal to it
  // with no `\ud` in it has none; a text that has one (even an escaped backslash followed by
  // "ud") takes the full path, which refuses lone surrogates.
  if (text.indexOf('\\ud') === -1 && membersInOrder(parsed) && JSON.stringify(parsed) === text) {
    return true;
  }
  return canonicalize(parsed) === text;
}

/** Whether every object's own member names, as enumerated, strictly increase in code units. */
function membersInOrder(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!membersInOrder(value[i])) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    // Relational comparison of strings compares UTF-16 code units, RFC 8785's order.
    if (i > 0 && !(keys[i - 1] < keys[i])) return false;
    if (!membersInOrder(record[keys[i]])) return false;
  }
  return true;
}

/** UTF-8 bytes of `canonicalize(value)`. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalize(value));
}

interface Walk {
  /** Containers being written, to refuse cycles. */
  ancestors: object[];
  /** Member names and indices down to the current value; only turned into text on error. */
  path: (string | number)[];
}

// Verifying a bundle canonicalizes every event, so this avoids per-member allocations (path
// strings, item arrays) on the success path.
function write(value: unknown, walk: Walk): string {
  switch (typeof value) {
    case 'string':
      return writeString(value, walk);
    case 'number':
      if (!Number.isFinite(value)) throw fail(walk, `${value} is not a JSON number`);
      // ECMAScript Number::toString is JCS's number format; -0 already prints as "0".
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return writeContainer(value, walk);
    default:
      throw fail(walk, `${typeof value} is not a JSON value`);
  }
}

// Member names repeat from event to event (`id`, `data`, `metadata`...), so their escaped form
// is cached (about a sixth of the time of canonicalizing an envelope). Bounded so that data with
// ever-new names cannot grow it without limit.
const escapedNames = new Map<string, string>();
const MAX_CACHED_NAMES = 4096;

function writeName(name: string, walk: Walk): string {
  const cached = escapedNames.get(name);
  if (cached !== undefined) return cached;
  const escaped = writeString(name, walk);
  if (escapedNames.size < MAX_CACHED_NAMES) escapedNames.set(name, escaped);
  return escaped;
}

function writeString(text: string, walk: Walk): string {
  if (hasLoneSurrogate(text)) throw fail(walk, 'string contains a lone surrogate (not I-JSON)');
  return JSON.stringify(text);
}

function writeContainer(value: object, walk: Walk): string {
  if (walk.ancestors.includes(value)) throw fail(walk, 'value contains a cycle');
  walk.ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      walk.path.push(i);
      // `i in value` rejects holes in sparse arrays, which JSON.stringify would turn into null.
      if (!(i in value)) throw fail(walk, 'array hole');
      out += i === 0 ? write(value[i], walk) : `,${write(value[i], walk)}`;
      walk.path.pop();
    }
    out += ']';
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw fail(walk, `${kind} is not a plain JSON object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw fail(walk, 'symbol-keyed properties are not JSON');
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly the order RFC 8785 requires.
    const keys = Object.keys(record).sort();
    out = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      walk.path.push(key);
      const member = `${writeName(key, walk)}:${write(record[key], walk)}`;
      out += i === 0 ? member : `,${member}`;
      walk.path.pop();
    }
    out += '}';
  }
  walk.ancestors.pop();
  return out;
}

function fail(walk: Walk, reason: string): CanonicalizationError {
  const pointer = walk.path
    .map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
  return new CanonicalizationError(pointer, reason);
}
