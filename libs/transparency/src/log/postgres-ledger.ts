import type pg from 'pg';
import {
  CompactRange,
  formatCheckpoint,
  formatVerifierKey,
  formatTlogProof,
  parseCheckpoint,
  parseSignerKey,
  parseWitnessKey,
  planConsistency,
  planInclusion,
  signNote,
  storedAt,
  verifierKeyFor,
  verifyCosignature,
  type NodeId,
  type SignerKey,
  type VerifierKey,
} from '#ledger';
import {
  CosignatureRejectedError,
  hashesFromRows,
  InvalidLedgerRequestError,
  LogEntryNotFoundError,
  readStoredHashes,
} from '#event-store';
import { readFromPrimary } from '#platform';

export const CHECKPOINTS_CHANNEL = 'cuenta_checkpoints';

export interface LedgerOptions {
  /** The log's origin line, e.g. `cuenta.example/cartagena`; also the signing key's name. */
  origin: string;
  /** The log's signer key string (PRIVATE+KEY+...), whose name must be the origin. */
  signerKey: string;
  /** Witnesses whose cosignatures are accepted (vkeys, type 0x04 or 0x01). */
  witnessKeys?: string[];
  /** The keys of the witnesses an administrator added at run time (the `log-witnesses` stream). */
  rosterKeys?: () => Promise<VerifierKey[]>;
}

export interface StoredCheckpoint {
  size: number;
  rootHash: Uint8Array;
  /** The checkpoint note as the log signed it, without cosignatures. */
  note: string;
  signedAt: Date;
}

export interface StoredCosignature {
  size: number;
  witness: string;
  keyId: number;
  cosignedAt: Date;
  /** The signature line, without its newline. */
  line: string;
}

export interface InclusionProofResult {
  position: number;
  eventId: string;
  treeSize: number;
  leafHash: Uint8Array;
  hashes: Uint8Array[];
}

interface CheckpointRow {
  size: string;
  root_hash: Buffer;
  note: string;
  signed_at: Date;
}

interface CosignatureRow {
  size: string;
  witness: string;
  key_id: string;
  cosigned_at: Date;
  line: string;
}

const MAX_LIST = 1000;

/**
 * The transparency log over the event store's tables: roots and proofs read from the
 * subtree hashes stored in the event rows (O(log n) rows, one query), signed checkpoints,
 * and witness cosignatures. Checkpoints and cosignatures are append-only tables.
 */
export class PostgresLedger {
  readonly origin: string;
  /** The log's verifier key string, for clients and the export bundle. */
  readonly verifierKey: string;
  readonly witnessKeys: readonly string[];
  private readonly signer: SignerKey;
  private readonly witnesses: VerifierKey[];
  private readonly rosterKeys: () => Promise<VerifierKey[]>;

  constructor(
    private readonly pool: pg.Pool,
    options: LedgerOptions,
  ) {
    this.signer = parseSignerKey(options.signerKey);
    if (this.signer.name !== options.origin) {
      throw new Error(
        `the log key is named "${this.signer.name}" but the log origin is "${options.origin}"; ` +
          'a checkpoint is signed by a key named after its origin',
      );
    }
    this.origin = options.origin;
    this.verifierKey = verifierKeyFor(this.signer);
    this.witnessKeys = options.witnessKeys ?? [];
    this.witnesses = this.witnessKeys.map((key) => parseWitnessKey(key));
    this.rosterKeys = options.rosterKeys ?? (() => Promise.resolve([]));
  }

  /** Number of events in the log. */
  async size(): Promise<number> {
    const { rows } = await this.pool.query<{ size: string }>('SELECT size FROM events.log_head');
    return Number(rows[0].size);
  }

  /** The RFC 9162 root of the first `size` events. */
  async rootAt(size: number): Promise<Uint8Array> {
    await this.assertTreeSize('size', size);
    return this.rootOfStored(size);
  }

  /** Precondition: `size` is at most the log's size. */
  private async rootOfStored(size: number): Promise<Uint8Array> {
    const nodes = CompactRange.nodesFor(size);
    return CompactRange.fromHashes(size, await this.hashesOf(nodes)).root();
  }

  /**
   * The inclusion proof of the event at `position` (or with `eventId`) in the tree of
   * `treeSize` events: every hash it needs comes from one primary-key query.
   */
  async inclusionProof(args: {
    position?: number;
    eventId?: string;
    /** Defaults to the smallest checkpoint that covers the event (signed now if none does). */
    treeSize?: number;
  }): Promise<InclusionProofResult> {
    // By position the whole proof is one statement; an id costs one lookup first.
    const position =
      args.eventId != null ? (await this.locate(args)).position : checkPosition(args.position);
    const treeSize = args.treeSize ?? (await this.checkpointCovering(position)).size;
    if (!Number.isSafeInteger(treeSize) || treeSize < 1) {
      throw new InvalidLedgerRequestError(
        'treeSize',
        `must be a positive integer (got ${treeSize})`,
      );
    }
    if (position >= treeSize) {
      if (position >= (await this.size())) {
        throw new LogEntryNotFoundError('event', `no event at position ${position}`);
      }
      throw new InvalidLedgerRequestError(
        'treeSize',
        `must be greater than the event's position ${position} (got ${treeSize})`,
      );
    }
    const plan = planInclusion(position, treeSize);
    const nodes: NodeId[] = [{ level: 0, index: position }, ...plan.nodes];
    const { rows } = await this.pool.query<{
      size: string;
      global_position: string;
      event_id: string;
      hashes: Buffer | null;
    }>(
      `SELECT h.size, e.global_position, e.event_id, e.hashes FROM events.log_head h
         LEFT JOIN events.events e ON e.global_position = ANY($1::bigint[])`,
      [nodes.map((node) => storedAt(node))],
    );
    const size = Number(rows[0].size);
    if (treeSize > size) {
      throw new InvalidLedgerRequestError(
        'treeSize',
        `must be at most the log's size ${size} (got ${treeSize})`,
      );
    }
    const [leafHash, ...nodeHashes] = hashesFromRows(nodes, rows);
    // hashesFromRows has checked that the leaf's row is there.
    const leafRow = rows.find((row) => Number(row.global_position) === position);
    return {
      position,
      eventId: leafRow ? leafRow.event_id : '',
      treeSize,
      leafHash,
      hashes: plan.assemble(nodeHashes),
    };
  }

  /**
   * The consistency proof from the tree of `fromSize` events to the tree of `toSize`.
   * From size 0 the proof is empty: the empty tree is a prefix of every tree (C2SP
   * tlog-witness); RFC 9162 itself defines no proof from 0.
   */
  async consistencyProof(args: { fromSize: number; toSize: number }): Promise<Uint8Array[]> {
    await this.assertTreeSize('toSize', args.toSize);
    if (!Number.isSafeInteger(args.fromSize) || args.fromSize < 0 || args.fromSize > args.toSize) {
      throw new InvalidLedgerRequestError(
        'fromSize',
        `must be an integer from 0 to toSize (${args.toSize}) (got ${args.fromSize})`,
      );
    }
    if (args.fromSize === 0) return [];
    const plan = planConsistency(args.fromSize, args.toSize);
    return plan.assemble(await this.hashesOf(plan.nodes));
  }

  /**
   * Signs a checkpoint of the current tree unless the latest one already covers it, and
   * returns the latest. Safe to call from several processes: a size is signed once.
   */
  async signCheckpoint(
    options: { includeEmpty?: boolean } = {},
  ): Promise<StoredCheckpoint | undefined> {
    // Signing is the primary's, and so are the reads after it, in a request a read replica
    // served until now (an inclusion proof's first checkpoint): the replica may lack it.
    readFromPrimary();
    const size = await this.size();
    const latest = await this.latestCheckpoint();
    if (latest && latest.size >= size) return latest;
    if (size === 0 && !options.includeEmpty) return latest;
    const rootHash = await this.rootOfStored(size);
    const note = signNote(formatCheckpoint({ origin: this.origin, size, rootHash }), [this.signer]);
    await this.pool.query(
      `WITH inserted AS (
         INSERT INTO events.checkpoints (size, root_hash, note) VALUES ($1, $2, $3)
         ON CONFLICT (size) DO NOTHING RETURNING size)
       SELECT pg_notify('${CHECKPOINTS_CHANNEL}', size::text) FROM inserted`,
      [size, Buffer.from(rootHash), note],
    );
    return this.checkpointAt(size);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const { rows } = await this.pool.query<CheckpointRow>(
      'SELECT size, root_hash, note, signed_at FROM events.checkpoints ORDER BY size DESC LIMIT 1',
    );
    return rows[0] && toCheckpoint(rows[0]);
  }

  async checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
    const { rows } = await this.pool.query<CheckpointRow>(
      'SELECT size, root_hash, note, signed_at FROM events.checkpoints WHERE size = $1',
      [size],
    );
    return rows[0] && toCheckpoint(rows[0]);
  }

  /** The smallest checkpoint that covers `position`, signing one if none does yet. */
  async checkpointCovering(position: number): Promise<StoredCheckpoint> {
    const { rows } = await this.pool.query<CheckpointRow>(
      `SELECT size, root_hash, note, signed_at FROM events.checkpoints
        WHERE size > $1 ORDER BY size LIMIT 1`,
      [position],
    );
    if (rows[0]) return toCheckpoint(rows[0]);
    const signed = await this.signCheckpoint();
    if (!signed || signed.size <= position) {
      throw new LogEntryNotFoundError('event', `no event at position ${position}`);
    }
    return signed;
  }

  /** Checkpoints in increasing size, from `fromSize` (inclusive). */
  async checkpoints(args: { fromSize?: number; limit?: number } = {}): Promise<StoredCheckpoint[]> {
    const limit = Math.min(args.limit ?? MAX_LIST, MAX_LIST);
    const { rows } = await this.pool.query<CheckpointRow>(
      `SELECT size, root_hash, note, signed_at FROM events.checkpoints
        WHERE size >= $1 ORDER BY size LIMIT $2`,
      [args.fromSize ?? 0, limit],
    );
    return rows.map(toCheckpoint);
  }

  /**
   * The verifier keys of every witness whose cosignatures the log accepts: those configured
   * (as given), then those an administrator added, each once.
   */
  async acceptedWitnessKeys(): Promise<string[]> {
    const keys = [...this.witnessKeys];
    const seen = new Set(this.witnesses.map((key) => formatVerifierKey(key)));
    for (const key of await this.rosterKeys()) {
      const text = formatVerifierKey(key);
      if (!seen.has(text)) {
        seen.add(text);
        keys.push(text);
      }
    }
    return keys;
  }

  /**
   * Verifies a witness's cosignature over the checkpoint of `size` against the witness keys
   * (by default those configured and those an administrator added), then stores it.
   * Submitting the same cosignature again is harmless.
   */
  async addCosignature(args: {
    size: number;
    line: string;
    /** Accept only these keys (the witness a checkpoint was pushed to). */
    witnessKeys?: readonly VerifierKey[];
  }): Promise<StoredCosignature> {
    const checkpoint = await this.checkpointAt(args.size);
    if (!checkpoint) {
      throw new LogEntryNotFoundError('checkpoint', `no checkpoint of size ${args.size}`);
    }
    const witnessKeys = args.witnessKeys ?? [...this.witnesses, ...(await this.rosterKeys())];
    if (witnessKeys.length === 0) {
      throw new CosignatureRejectedError(
        'this log has no witness keys configured (CUENTA_WITNESS_KEYS) or added (addLogWitness)',
      );
    }
    const body = bodyOf(checkpoint.note);
    let verified;
    try {
      verified = verifyCosignature({
        line: args.line,
        checkpointBody: body,
        witnessKeys,
      });
    } catch (error) {
      throw new CosignatureRejectedError((error as Error).message);
    }
    const line = args.line.replace(/\n$/, '');
    await this.pool.query(
      `INSERT INTO events.cosignatures (size, witness, key_id, cosigned_at, line)
       VALUES ($1, $2, $3, to_timestamp($4), $5) ON CONFLICT DO NOTHING`,
      [args.size, verified.name, verified.keyId, verified.timestamp, line],
    );
    return {
      size: args.size,
      witness: verified.name,
      keyId: verified.keyId,
      cosignedAt: new Date(verified.timestamp * 1000),
      line,
    };
  }

  /** The largest checkpoint `witness` cosigned whose cosignature is stored; 0 if none. */
  async cosignedSize(witness: { name: string; keyId: number }): Promise<number> {
    const { rows } = await this.pool.query<{ size: string | null }>(
      `SELECT max(size) AS size FROM events.cosignatures WHERE witness = $1 AND key_id = $2`,
      [witness.name, witness.keyId],
    );
    return Number(rows[0].size ?? 0);
  }

  async cosignatures(size: number): Promise<StoredCosignature[]> {
    const { rows } = await this.pool.query<CosignatureRow>(
      `SELECT size, witness, key_id, cosigned_at, line FROM events.cosignatures
        WHERE size = $1 ORDER BY witness, key_id`,
      [size],
    );
    return rows.map((row) => ({
      size: Number(row.size),
      witness: row.witness,
      keyId: Number(row.key_id),
      cosignedAt: row.cosigned_at,
      line: row.line,
    }));
  }

  /** The checkpoint note with the log's signature and every stored cosignature. */
  async cosignedNote(checkpoint: StoredCheckpoint): Promise<string> {
    return noteWithCosignatures(checkpoint, await this.cosignatures(checkpoint.size));
  }

  /**
   * An offline proof for one event (c2sp.org/tlog-proof@v1) against the smallest
   * checkpoint that covers it, with that checkpoint's cosignatures.
   */
  async tlogProof(args: { position?: number; eventId?: string }): Promise<string> {
    const { position } = await this.locate(args);
    const checkpoint = await this.checkpointCovering(position);
    const proof = await this.inclusionProof({ position, treeSize: checkpoint.size });
    return formatTlogProof({
      index: position,
      inclusionProof: proof.hashes,
      signedCheckpoint: await this.cosignedNote(checkpoint),
    });
  }

  private async locate(args: { position?: number | null; eventId?: string | null }) {
    // GraphQL hands over an omitted nullable argument as null.
    if (args.eventId != null) {
      const { rows } = await this.pool
        .query<{ global_position: string }>(
          'SELECT global_position FROM events.events WHERE event_id = $1::uuid',
          [args.eventId],
        )
        .catch(() => ({ rows: [] }));
      if (!rows[0]) throw new LogEntryNotFoundError('event', `no event with id ${args.eventId}`);
      return { position: Number(rows[0].global_position), eventId: args.eventId };
    }
    if (args.position == null) {
      throw new InvalidLedgerRequestError('eventId', 'or position must be given');
    }
    if (!Number.isSafeInteger(args.position) || args.position < 0) {
      throw new InvalidLedgerRequestError(
        'position',
        `must be a non-negative integer (got ${args.position})`,
      );
    }
    const { rows } = await this.pool.query<{ event_id: string }>(
      'SELECT event_id FROM events.events WHERE global_position = $1',
      [args.position],
    );
    if (!rows[0]) throw new LogEntryNotFoundError('event', `no event at position ${args.position}`);
    return { position: args.position, eventId: rows[0].event_id };
  }

  private async assertTreeSize(field: string, size: number): Promise<void> {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new InvalidLedgerRequestError(field, `must be a non-negative integer (got ${size})`);
    }
    const head = await this.size();
    if (size > head) {
      throw new InvalidLedgerRequestError(
        field,
        `must be at most the log's size ${head} (got ${size})`,
      );
    }
  }

  private hashesOf(nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    return readStoredHashes(this.pool, nodes);
  }
}

/** A checkpoint note followed by its cosignature lines, as C2SP notes carry them. */
export function noteWithCosignatures(
  checkpoint: StoredCheckpoint,
  cosignatures: readonly StoredCosignature[],
): string {
  return checkpoint.note + cosignatures.map((c) => `${c.line}\n`).join('');
}

/** A position given by a caller: present, and a non-negative integer. */
function checkPosition(position: number | null | undefined): number {
  if (position == null) throw new InvalidLedgerRequestError('eventId', 'or position must be given');
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new InvalidLedgerRequestError(
      'position',
      `must be a non-negative integer (got ${position})`,
    );
  }
  return position;
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    size: Number(row.size),
    rootHash: new Uint8Array(row.root_hash),
    note: row.note,
    signedAt: row.signed_at,
  };
}

/** The signed text of a note: everything before the blank line that starts the signatures. */
function bodyOf(note: string): string {
  const end = note.indexOf('\n\n');
  const body = note.slice(0, end + 1);
  parseCheckpoint(body);
  return body;
}
