import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  cosignCheckpoint,
  generateSignerKey,
  leafBytesOf,
  leafHash,
  openCheckpoint,
  parseCheckpoint,
  rootOf,
  toHex,
  verifierKeyFor,
  verifyConsistency,
  verifyInclusion,
  verifyTlogProof,
  witnessVerifierKeyFor,
} from '#ledger';
import {
  CosignatureRejectedError,
  InvalidLedgerRequestError,
  LogEntryNotFoundError,
  PostgresEventStore,
} from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { event } from '../../../event-store/test/conformance/event-store.conformance.js';
import { CheckpointSigner } from './checkpoint-signer.js';
import { PostgresLedger } from './postgres-ledger.js';

const origin = 'cuenta.example/cartagena';
const logKey = generateSignerKey(origin);
const witnessKey = generateSignerKey('contraloria.example/witness');
const strangerKey = generateSignerKey('stranger.example/witness');

describe('PostgresLedger', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let ledger: PostgresLedger;
  let leaves: Uint8Array[];

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    ledger = new PostgresLedger(store.pool, {
      origin,
      signerKey: logKey,
      witnessKeys: [witnessVerifierKeyFor(witnessKey)],
    });
    await Promise.all(
      Array.from({ length: 23 }, (_, i) =>
        store.append(`commitment-${i % 4}`, [event('E', { i })], 'any'),
      ),
    );
    const events = await store.readAll({ raw: true });
    leaves = events.map((e) => leafHash(leafBytesOf(e)));
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('computes the RFC 9162 root of every prefix from stored nodes', async () => {
    for (const size of [0, 1, 2, 3, 7, 8, 16, 22, 23]) {
      expect(toHex(await ledger.rootAt(size))).toBe(toHex(rootOf(leaves.slice(0, size))));
    }
  });

  it('proves every event in several tree sizes', async () => {
    for (const size of [1, 5, 8, 13, 23]) {
      const root = rootOf(leaves.slice(0, size));
      for (let position = 0; position < size; position++) {
        const proof = await ledger.inclusionProof({ position, treeSize: size });
        expect(toHex(proof.leafHash)).toBe(toHex(leaves[position]));
        expect(() =>
          verifyInclusion({
            index: position,
            size,
            leafHash: proof.leafHash,
            proof: proof.hashes,
            root,
          }),
        ).not.toThrow();
      }
    }
  });

  it('finds an event by id for its proof', async () => {
    const [third] = await store.readAll({ from: 2, limit: 1 });
    const proof = await ledger.inclusionProof({ eventId: third.id, treeSize: 23 });
    expect(proof.position).toBe(2);
  });

  it('proves that every smaller tree is a prefix of every larger one', async () => {
    for (let from = 1; from <= 23; from += 3) {
      for (let to = from; to <= 23; to += 4) {
        const proof = await ledger.consistencyProof({ fromSize: from, toSize: to });
        expect(() =>
          verifyConsistency({
            size1: from,
            size2: to,
            proof,
            root1: rootOf(leaves.slice(0, from)),
            root2: rootOf(leaves.slice(0, to)),
          }),
        ).not.toThrow();
      }
    }
    expect(await ledger.consistencyProof({ fromSize: 0, toSize: 23 })).toEqual([]);
  });

  it('refuses proofs it cannot give, naming the field', async () => {
    await expect(ledger.inclusionProof({ position: 30, treeSize: 23 })).rejects.toBeInstanceOf(
      LogEntryNotFoundError,
    );
    await expect(ledger.inclusionProof({ position: 5, treeSize: 5 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      field: 'treeSize',
    });
    await expect(ledger.inclusionProof({ position: 1, treeSize: 99 })).rejects.toMatchObject({
      field: 'treeSize',
      rule: "must be at most the log's size 23 (got 99)",
    });
    await expect(ledger.consistencyProof({ fromSize: 9, toSize: 4 })).rejects.toBeInstanceOf(
      InvalidLedgerRequestError,
    );
    await expect(
      ledger.inclusionProof({ eventId: '00000000-0000-4000-8000-000000000000', treeSize: 23 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  describe('checkpoints', () => {
    it('signs the current tree as a checkpoint the log key opens', async () => {
      const checkpoint = await ledger.signCheckpoint();
      const opened = openCheckpoint({
        note: checkpoint?.note ?? '',
        origin,
        logKey: verifierKeyFor(logKey),
      });
      expect(opened.checkpoint.size).toBe(23);
      expect(toHex(opened.checkpoint.rootHash)).toBe(toHex(rootOf(leaves)));
      expect(ledger.verifierKey).toBe(verifierKeyFor(logKey));
    });

    it('does not sign the same size twice, and signs again when the log grows', async () => {
      const first = await ledger.signCheckpoint();
      const again = await ledger.signCheckpoint();
      await store.append('commitment-later', [event('Later')], 'any');
      const grown = await ledger.signCheckpoint();
      expect(again).toEqual(first);
      expect(grown?.size).toBe(24);
      expect((await ledger.checkpoints()).map((c) => c.size)).toEqual([23, 24]);
    });

    it('keeps checkpoints append-only', async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await expect(client.query('UPDATE events.checkpoints SET note = note')).rejects.toThrow(
          'events.checkpoints is append-only: UPDATE is refused',
        );
        await expect(client.query('DELETE FROM events.checkpoints')).rejects.toThrow('append-only');
      } finally {
        await client.end();
      }
    });

    it('stores a configured witness cosignature and serves it with the note', async () => {
      const checkpoint = await ledger.checkpointAt(23);
      const body = parseBodyOf(checkpoint?.note ?? '');
      const line = cosignCheckpoint({
        signerKey: witnessKey,
        checkpointBody: body,
        timestamp: 1_700_000_000,
      });
      const stored = await ledger.addCosignature({ size: 23, line });
      const again = await ledger.addCosignature({ size: 23, line });
      expect(stored).toMatchObject({
        witness: 'contraloria.example/witness',
        cosignedAt: new Date(1_700_000_000_000),
      });
      expect(again).toEqual(stored);
      expect(await ledger.cosignatures(23)).toHaveLength(1);
      const opened = openCheckpoint({
        note: await ledger.cosignedNote(checkpoint ?? never()),
        origin,
        logKey: verifierKeyFor(logKey),
        witnessKeys: [witnessVerifierKeyFor(witnessKey)],
      });
      expect(opened.cosignatures.map((c) => c.name)).toEqual(['contraloria.example/witness']);
    });

    it('refuses cosignatures from unknown witnesses, over another checkpoint, or for no checkpoint', async () => {
      const body = parseBodyOf((await ledger.checkpointAt(23))?.note ?? '');
      const otherBody = parseBodyOf((await ledger.checkpointAt(24))?.note ?? '');
      const stranger = cosignCheckpoint({
        signerKey: strangerKey,
        checkpointBody: body,
        timestamp: 1,
      });
      const wrongTree = cosignCheckpoint({
        signerKey: witnessKey,
        checkpointBody: otherBody,
        timestamp: 1,
      });
      await expect(ledger.addCosignature({ size: 23, line: stranger })).rejects.toBeInstanceOf(
        CosignatureRejectedError,
      );
      await expect(ledger.addCosignature({ size: 23, line: wrongTree })).rejects.toMatchObject({
        code: 'INVALID_COSIGNATURE',
      });
      await expect(ledger.addCosignature({ size: 5, line: wrongTree })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('writes an offline proof (tlog-proof) that verifies against the event alone', async () => {
      const [event5] = await store.readAll({ from: 5, limit: 1, raw: true });
      const proofText = await ledger.tlogProof({ eventId: event5.id });
      const verified = verifyTlogProof({
        proofText,
        leafBytes: leafBytesOf(event5),
        logKey: verifierKeyFor(logKey),
        origin,
        witnessKeys: [witnessVerifierKeyFor(witnessKey)],
      });
      expect(verified).toMatchObject({ index: 5 });
      expect(() =>
        verifyTlogProof({
          proofText,
          leafBytes: leafBytesOf({ ...event5, data: { i: 999 } }),
          logKey: verifierKeyFor(logKey),
          origin,
        }),
      ).toThrow();
    });
  });

  it('refuses a log key named after another origin', () => {
    expect(
      () => new PostgresLedger(store.pool, { origin: 'other.example/log', signerKey: logKey }),
    ).toThrow(
      'the log key is named "cuenta.example/cartagena" but the log origin is "other.example/log"',
    );
  });
});

describe('CheckpointSigner', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let ledger: PostgresLedger;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    ledger = new PostgresLedger(store.pool, { origin, signerKey: logKey });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('signs after N unsigned events or after T, whichever comes first', async () => {
    const signer = new CheckpointSigner(ledger, { everyEvents: 5, intervalMs: 60_000 });
    const t0 = 1_000_000;
    expect(await signer.tick(t0)).toBe(false); // empty log
    await store.append('s', [event('A'), event('B')], 'any');
    expect(await signer.tick(t0)).toBe(false); // 2 unsigned, just now
    await store.append('s', [event('C'), event('D'), event('E')], 'any');
    expect(await signer.tick(t0 + 1000)).toBe(true); // 5 unsigned
    expect((await ledger.latestCheckpoint())?.size).toBe(5);
    await store.append('s', [event('F')], 'any');
    expect(await signer.tick(t0 + 2000)).toBe(false);
    expect(await signer.tick(t0 + 2000 + 59_000)).toBe(false);
    expect(await signer.tick(t0 + 2000 + 60_000)).toBe(true); // waited T
    expect((await ledger.latestCheckpoint())?.size).toBe(6);
  });
});

function parseBodyOf(note: string): string {
  const body = note.slice(0, note.indexOf('\n\n') + 1);
  parseCheckpoint(body);
  return body;
}

function never(): never {
  throw new Error('unreachable');
}
