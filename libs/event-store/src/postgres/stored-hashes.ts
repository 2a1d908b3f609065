import type pg from 'pg';
import { storedAt, type NodeId } from '#ledger';

/**
 * The hashes of perfect subtrees, in the order asked, from one primary-key query: node
 * (level, index) is stored in the row of leaf `storedAt(node)`, at byte 32 * level of `hashes`.
 */
export async function readStoredHashes(
  db: Pick<pg.Pool | pg.PoolClient, 'query'>,
  nodes: readonly NodeId[],
): Promise<Uint8Array[]> {
  if (nodes.length === 0) return [];
  const positions = nodes.map((node) => storedAt(node));
  const { rows } = await db.query<{ global_position: string; hashes: Buffer }>(
    'SELECT global_position, hashes FROM events.events WHERE global_position = ANY($1::bigint[])',
    [positions],
  );
  return hashesFromRows(nodes, rows);
}

/** Picks each node's hash out of the event rows that store them (see `readStoredHashes`). */
export function hashesFromRows(
  nodes: readonly NodeId[],
  rows: readonly { global_position: string; hashes: Buffer | null }[],
): Uint8Array[] {
  const byPosition = new Map(rows.map((row) => [Number(row.global_position), row.hashes]));
  return nodes.map((node) => {
    const hashes = byPosition.get(storedAt(node));
    if (!hashes || hashes.length < 32 * (node.level + 1)) {
      throw new Error(`the stored Merkle hashes are missing node ${node.level}/${node.index}`);
    }
    return new Uint8Array(hashes.subarray(32 * node.level, 32 * (node.level + 1)));
  });
}

/**
 * The hashes of `nodes` concatenated, 32 bytes each: a hash tile's bytes, from one query that
 * returns them as one value rather than a row each. Precondition: the nodes are of one level,
 * left to right (`tileNodes`), so their rows come in position order.
 */
export async function readStoredHashRun(
  db: Pick<pg.Pool | pg.PoolClient, 'query'>,
  nodes: readonly NodeId[],
): Promise<Uint8Array> {
  if (nodes.length === 0) return new Uint8Array(0);
  const level = nodes[0].level;
  nodes.forEach((node, i) => {
    if (node.level !== level || (i > 0 && node.index <= nodes[i - 1].index)) {
      throw new Error('readStoredHashRun reads nodes of one level, left to right');
    }
  });
  const from = 32 * level + 1;
  const { rows } = await db.query<{ found: number; hashes: Buffer | null }>(
    `SELECT count(*)::int AS found,
            string_agg(substring(hashes FROM $2::int FOR 32), ''::bytea ORDER BY global_position)
              AS hashes
       FROM events.events
      WHERE global_position = ANY($1::bigint[]) AND octet_length(hashes) >= $2::int + 31`,
    [nodes.map((node) => storedAt(node)), from],
  );
  const { found, hashes } = rows[0];
  // Some node is missing: the row by row read names it.
  if (found !== nodes.length || !hashes) return concat(await readStoredHashes(db, nodes));
  return new Uint8Array(hashes.buffer, hashes.byteOffset, hashes.byteLength);
}

function concat(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(32 * hashes.length);
  hashes.forEach((hash, i) => out.set(hash, 32 * i));
  return out;
}
