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
