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
  return serialize(value, '', new Set());
}

/** UTF-8 bytes of `canonicalize(value)`. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalize(value));
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalizationError(path, `${value} is not a JSON number`);
      }
      // ECMAScript Number::toString is JCS's number format; -0 already prints as "0".
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, path, ancestors);
    default:
      throw new CanonicalizationError(path, `${typeof value} is not a JSON value`);
  }
}

function serializeString(text: string, path: string): string {
  if (hasLoneSurrogate(text)) {
    throw new CanonicalizationError(path, 'string contains a lone surrogate (not I-JSON)');
  }
  return JSON.stringify(text);
}

function serializeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalizationError(path, 'value contains a cycle');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      // `i in value` rejects holes in sparse arrays, which JSON.stringify would turn into null.
      if (!(i in value)) throw new CanonicalizationError(`${path}/${i}`, 'array hole');
      items.push(serialize(value[i], `${path}/${i}`, ancestors));
    }
    out = `[${items.join(',')}]`;
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalizationError(path, `${kind} is not a plain JSON object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw new CanonicalizationError(path, 'symbol-keyed properties are not JSON');
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly the order RFC 8785 requires.
    const keys = Object.keys(record).sort();
    const members: string[] = [];
    for (const key of keys) {
      const memberPath = `${path}/${escapePointer(key)}`;
      members.push(
        `${serializeString(key, memberPath)}:${serialize(record[key], memberPath, ancestors)}`,
      );
    }
    out = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
