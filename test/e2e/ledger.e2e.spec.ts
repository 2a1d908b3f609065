import { createHash } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  canonicalize,
  cosignCheckpoint,
  generateSignerKey,
  leafBytesOf,
  leafHash,
  openCheckpoint,
  toHex,
  verifierKeyFor,
  verifyInclusion,
  witnessVerifierKeyFor,
} from '#ledger';
import { PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';

const origin = 'cuenta.example/cartagena';
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const witnessKey = generateSignerKey('contraloria.example/witness');
const actor = { subject: 'planeacion-ana', role: 'steward', agency: 'planeacion' };

describe('the ledger over GraphQL', () => {
  let database: TestDatabase;
  let dir: string;
  let logKey: string;
  let server: ServerProcess;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-ledger-e2e-'));
    logKey = generateSignerKey(origin);
    await writeFile(path.join(dir, 'log.key'), logKey + '\n', { mode: 0o600 });
    store = await PostgresEventStore.open({ connectionString: database.url });
    for (let i = 0; i < 10; i++) {
      await store.append(
        `commitment-${i % 3}`,
        [{ type: 'ProgressReported', data: { i }, metadata: { actor } }],
        'any',
      );
    }
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dir,
      CUENTA_LOG_KEY_FILE: path.join(dir, 'log.key'),
      CUENTA_WITNESS_KEYS: witnessVerifierKeyFor(witnessKey),
    });
  });

  afterAll(async () => {
    await server?.stop();
    await store.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('tells who the log is and how to check its signatures', async () => {
    const { body } = await graphql(
      server.url,
      '{ ledgerInfo { origin verifierKey witnessKeys size } }',
    );
    expect(body.data?.ledgerInfo).toEqual({
      origin,
      verifierKey: verifierKeyFor(logKey),
      witnessKeys: [witnessVerifierKeyFor(witnessKey)],
      size: 10,
    });
  });

  it('proves an event against a signed checkpoint that a client can check itself', async () => {
    const [event] = await store.readAll({ from: 3, limit: 1, raw: true });
    const { body } = await graphql(
      server.url,
      `
        query ($id: String) {
          inclusionProof(eventId: $id) {
            eventId
            position
            treeSize
            leafHash
            hashes
            checkpoint {
              size
              rootHash
              note
            }
          }
        }
      `,
      { id: event.id },
    );
    const proof = body.data?.inclusionProof;
    const opened = openCheckpoint({
      note: proof.checkpoint.note,
      origin,
      logKey: verifierKeyFor(logKey),
    });
    expect(proof).toMatchObject({ eventId: event.id, position: 3, treeSize: 10 });
    expect(proof.leafHash).toBe(Buffer.from(leafHash(leafBytesOf(event))).toString('base64'));
    expect(() =>
      verifyInclusion({
        index: 3,
        size: 10,
        leafHash: fromBase64(proof.leafHash),
        proof: proof.hashes.map((h: string) => fromBase64(h)),
        root: opened.checkpoint.rootHash,
      }),
    ).not.toThrow();
    expect(toHex(fromBase64(proof.checkpoint.rootHash))).toBe(toHex(opened.checkpoint.rootHash));
  });

  it('serves the event with its proof, raw: SHA-256 of 0x00 and its canonical JSON is the leaf hash', async () => {
    const [stored] = await store.readAll({ from: 4, limit: 1, raw: true });
    const { body } = await graphql(
      server.url,
      `
        {
          inclusionProof(position: 4) {
            leafHash
            event {
              canonical
              id
              stream
              streamVersion
              position
              type
              schemaVersion
              data
              actor {
                subject
                role
                agency
              }
              occurredAt
              recordedAt
              reason
              commandId
            }
          }
        }
      `,
    );
    const proof = body.data?.inclusionProof;
    const { leafHash: served, event } = proof;
    const leafInput = Buffer.concat([Buffer.from([0]), Buffer.from(event.canonical, 'utf8')]);
    expect(createHash('sha256').update(leafInput).digest('base64')).toBe(served);
    expect(event.canonical).toBe(canonicalize(stored));
    const parsed = JSON.parse(event.canonical);
    expect(parsed.metadata).toEqual({
      actor,
      occurredAt: stored.metadata.occurredAt,
      recordedAt: stored.metadata.recordedAt,
    });
    expect(event).toEqual({
      canonical: event.canonical,
      id: parsed.id,
      stream: parsed.stream,
      streamVersion: parsed.streamVersion,
      position: 4,
      type: 'ProgressReported',
      schemaVersion: 1,
      data: { i: 4 },
      actor,
      occurredAt: parsed.metadata.occurredAt,
      recordedAt: parsed.metadata.recordedAt,
      reason: null,
      commandId: null,
    });
  });

  it('accepts a configured witness cosignature and serves it with the checkpoint', async () => {
    const { body: latest } = await graphql(server.url, '{ latestCheckpoint { size note } }');
    const { size, note } = latest.data?.latestCheckpoint ?? {};
    const line = cosignCheckpoint({
      signerKey: witnessKey,
      checkpointBody: note.slice(0, note.indexOf('\n\n') + 1),
      timestamp: 1_700_000_000,
    });
    const { body } = await graphql(
      server.url,
      'mutation($size: Int!, $line: String!) { submitCosignature(size: $size, cosignature: $line) { witness cosignedAt } }',
      { size, line },
    );
    expect(body.data?.submitCosignature).toEqual({
      witness: 'contraloria.example/witness',
      cosignedAt: '2023-11-14T22:13:20.000Z',
    });
    const { body: after } = await graphql(
      server.url,
      `{ checkpoint(size: ${size}) { cosignatures { witness } note } }`,
    );
    expect(after.data?.checkpoint.cosignatures).toEqual([
      { witness: 'contraloria.example/witness' },
    ]);
    expect(after.data?.checkpoint.note.endsWith(`${line}`)).toBe(true);
  });

  it('refuses a cosignature by an unknown witness, writing nothing', async () => {
    const { body: latest } = await graphql(server.url, '{ latestCheckpoint { size note } }');
    const { size, note } = latest.data?.latestCheckpoint ?? {};
    const line = cosignCheckpoint({
      signerKey: generateSignerKey('impostor.example/witness'),
      checkpointBody: note.slice(0, note.indexOf('\n\n') + 1),
      timestamp: 1,
    });
    const { body } = await graphql(
      server.url,
      'mutation($size: Int!, $line: String!) { submitCosignature(size: $size, cosignature: $line) { witness } }',
      { size, line },
    );
    expect(body.errors?.[0].extensions?.code).toBe('INVALID_COSIGNATURE');
    const { body: after } = await graphql(
      server.url,
      `{ cosignatures(size: ${size}) { witness } }`,
    );
    expect(after.data?.cosignatures).toEqual([{ witness: 'contraloria.example/witness' }]);
  });

  it('names the field of a bad proof request', async () => {
    const negative = await graphql(server.url, '{ inclusionProof(position: -1) { position } }');
    const beyond = await graphql(
      server.url,
      '{ consistencyProof(fromSize: 3, toSize: 99) { hashes } }',
    );
    const neither = await graphql(server.url, '{ inclusionProof { position } }');
    expect(negative.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'position',
    });
    expect(beyond.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'toSize',
    });
    expect(neither.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'eventId',
    });
  });

  it('gives a consistency proof between two sizes', async () => {
    const { body } = await graphql(
      server.url,
      '{ consistencyProof(fromSize: 4, toSize: 10) { fromSize toSize hashes } }',
    );
    expect(body.data?.consistencyProof.fromSize).toBe(4);
    expect(body.data?.consistencyProof.hashes.length).toBeGreaterThan(0);
  });

  it('asks an anonymous caller to sign in before signing a checkpoint on demand', async () => {
    const { body } = await graphql(server.url, 'mutation { signCheckpoint { size } }');
    expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the log key at start-up', () => {
  it('refuses to start when the key file is readable by others', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-key-e2e-'));
    const database = await createTestDatabase();
    try {
      const file = path.join(dir, 'log.key');
      await writeFile(file, generateSignerKey(origin) + '\n');
      await chmod(file, 0o644);
      const { code, stderr } = await runNode('dist/apps/api/src/main.js', [], {
        DATABASE_URL: database.url,
        CUENTA_LOG_KEY_FILE: file,
      });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n').pop()).toBe(
        `cuenta: failed to start: the log key file ${file} is readable by others (mode 644); run: chmod 600 ${file}`,
      );
    } finally {
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
