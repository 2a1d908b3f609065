import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config.js';
import { OperationNotAllowedError } from './graphql.errors.js';

const VARIABLE = 'CUENTA_GRAPHQL_PERSISTED_OPERATIONS';
const SHAPE = "a JSON file mapping each operation's SHA-256 (hex, of its exact text) to the text";

/** The request fields the allow-list looks at (Apollo's persisted-query extension). */
export interface OperationSource {
  query?: unknown;
  extensions?: unknown;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The allow-list of operations (`CUENTA_GRAPHQL_PERSISTED_OPERATIONS`): when on, the server
 * runs only these texts. A client sends the text, or just its hash in
 * `extensions.persistedQuery.sha256Hash` as Apollo clients do.
 */
export class PersistedOperations {
  private constructor(private readonly byHash: ReadonlyMap<string, string>) {}

  /** @throws ConfigError naming the variable when the file is unreadable or malformed. */
  static async load(file: string): Promise<PersistedOperations> {
    let entries: unknown;
    try {
      entries = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      throw new ConfigError(VARIABLE, SHAPE, file);
    }
    return PersistedOperations.from(entries, file);
  }

  /** @throws ConfigError when an entry's hash is not the SHA-256 of its text. */
  static from(entries: unknown, shown = 'the allow-list'): PersistedOperations {
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      throw new ConfigError(VARIABLE, SHAPE, shown);
    }
    const byHash = new Map<string, string>();
    for (const [hash, text] of Object.entries(entries)) {
      if (typeof text !== 'string' || sha256Hex(text) !== hash.toLowerCase()) {
        throw new ConfigError(VARIABLE, `${SHAPE}; the entry ${hash} does not match`, shown);
      }
      byHash.set(hash.toLowerCase(), text);
    }
    return new PersistedOperations(byHash);
  }

  get size(): number {
    return this.byHash.size;
  }

  /**
   * The text to run for a request.
   * @throws OperationNotAllowedError for a text or hash not in the list.
   */
  resolve(request: OperationSource): string {
    const hash = persistedHash(request);
    if (typeof request.query === 'string' && request.query !== '') {
      const computed = sha256Hex(request.query);
      if (!this.byHash.has(computed) || (hash !== undefined && hash !== computed)) {
        throw new OperationNotAllowedError(hash ?? computed);
      }
      return request.query;
    }
    const text = hash === undefined ? undefined : this.byHash.get(hash);
    if (text === undefined) throw new OperationNotAllowedError(hash);
    return text;
  }
}

function persistedHash(request: OperationSource): string | undefined {
  const extensions = request.extensions as
    { persistedQuery?: { sha256Hash?: unknown } } | undefined | null;
  const hash = extensions?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash.toLowerCase() : undefined;
}
