import type { JWTPayload } from 'jose';

/**
 * Reads a claim by name or, when no claim has that exact name, by dotted path
 * (`realm_access.roles` for Keycloak realm roles). Exact names come first so that URL-like
 * claim names with dots (`https://cuenta.example/roles`) still work.
 */
export function readClaim(payload: JWTPayload, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      !Object.hasOwn(value, part)
    ) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Sets a claim at a dotted path, creating the objects on the way (for minting). */
export function writeClaim(payload: Record<string, unknown>, name: string, value: unknown): void {
  const parts = name.split('.');
  const last = parts.pop() as string;
  let target = payload;
  for (const part of parts) {
    const next = target[part];
    target[part] =
      typeof next === 'object' && next !== null && !Array.isArray(next) ? next : ({} as object);
    target = target[part] as Record<string, unknown>;
  }
  target[last] = value;
}

/**
 * A claim's values as strings: an array of strings, or one string holding space- or
 * comma-separated values (as some providers emit). Anything else reads as none.
 */
export function claimValues(payload: JWTPayload, name: string): string[] {
  const value = readClaim(payload, name);
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((item) => item !== '');
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}
