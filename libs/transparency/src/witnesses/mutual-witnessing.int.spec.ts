import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  cosignCheckpoint,
  formatAddCheckpointRequest,
  formatCheckpoint,
  generateSignerKey,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  rootOf,
  leafHash,
  signNote,
  verifierKeyFor,
  witnessVerifierKeyFor,
} from '#ledger';
import { PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { event } from '../../../event-store/test/conformance/event-store.conformance.js';
import { PostgresLedger, type StoredCheckpoint } from '../log/postgres-ledger.js';
import { createWitnessServer } from '../witness/witness-server.js';
import { originHash, WitnessedLogs } from '../witness/witnessed-logs.js';
import { WitnessPusher } from './witness-pusher.js';
import { WitnessRoster } from './witness-roster.service.js';
import { LOG_WITNESSES_STREAM, RosterRefusal } from './witness-roster.js';

// Two Cuenta logs on two databases, each running a witness server (c2sp.org/tlog-witness)
// for the other and pushing its own checkpoints to the other's witness.

const admin = { subject: 'admin-1', role: 'administrator' };

interface Instance {
  name: string;
  origin: string;
  logSigner: string;
  witnessSigner: string;
  database: TestDatabase;
  store: PostgresEventStore;
  roster: WitnessRoster;
  ledger: PostgresLedger;
  pusher: WitnessPusher;
  stateDir: string;
  server: Server;
  url: string;
}

const instances: Instance[] = [];

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startInstance(name: string): Promise<Instance> {
  const origin = `${name}.cuenta.example/log`;
  const logSigner = generateSignerKey(origin);
  const witnessSigner = generateSignerKey(`${name}.witness.example`);
  const database = await createTestDatabase();
  const store = await PostgresEventStore.open({ connectionString: database.url });
  const roster = new WitnessRoster(store);
  const ledger = new PostgresLedger(store.pool, {
    origin,
    signerKey: logSigner,
    rosterKeys: () => roster.keys(),
  });
  const pusher = new WitnessPusher(ledger, { witnesses: () => roster.current(), backoffMs: 1000 });
  const stateDir = await mkdtemp(path.join(tmpdir(), `witness-${name}-`));
  const instance: Instance = {
    name,
    origin,
    logSigner,
    witnessSigner,
    database,
    store,
    roster,
    ledger,
    pusher,
    stateDir,
    server: undefined as unknown as Server,
    url: '',
  };
  instances.push(instance);
  return instance;
}

/** `witness` runs a witness server for `log`'s origin and key. */
async function serveWitnessFor(witness: Instance, logs: Instance[]) {
  witness.server = createWitnessServer({
    witnessKey: parseSignerKey(witness.witnessSigner),
    logs: new WitnessedLogs(
      witness.stateDir,
      new Map(logs.map((log) => [log.origin, [parseVerifierKey(verifierKeyFor(log.logSigner))]])),
    ),
  });
  witness.url = await listen(witness.server);
}

async function grow(instance: Instance, count: number) {
  await instance.store.append(
    `things-${instance.name}`,
    Array.from({ length: count }, (_, i) => event('ThingHappened', { i })),
    'any',
  );
  await instance.ledger.signCheckpoint();
  return latestOf(instance);
}

async function latestOf(instance: Instance): Promise<StoredCheckpoint> {
  const checkpoint = await instance.ledger.latestCheckpoint();
  if (!checkpoint) throw new Error(`${instance.name} has no checkpoint`);
  return checkpoint;
}

async function checkpointOf(instance: Instance, size: number): Promise<StoredCheckpoint> {
  const checkpoint = await instance.ledger.checkpointAt(size);
  if (!checkpoint) throw new Error(`${instance.name} has no checkpoint of size ${size}`);
  return checkpoint;
}

async function post(url: string, body: string) {
  const response = await fetch(`${url}/add-checkpoint`, { method: 'POST', body });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.text(),
  };
}

let a: Instance;
let b: Instance;

beforeAll(async () => {
  a = await startInstance('a');
  b = await startInstance('b');
  await serveWitnessFor(a, [b]);
  await serveWitnessFor(b, [a]);
  await a.roster.add(admin, { url: b.url, verifierKey: witnessVerifierKeyFor(b.witnessSigner) });
  await b.roster.add(admin, {
    url: `${a.url}/`,
    verifierKey: witnessVerifierKeyFor(a.witnessSigner),
  });
});

afterAll(async () => {
  for (const instance of instances) {
    await instance.pusher.stop();
    instance.server?.closeAllConnections();
    await new Promise((resolve) => instance.server?.close(resolve) ?? resolve(undefined));
    await instance.store.close();
    await instance.database.drop();
    await rm(instance.stateDir, { recursive: true, force: true });
  }
});

describe('two Cuenta logs witnessing each other', () => {
  it('records the roster in the log, with the administrator who changed it', async () => {
    const events = await a.store.readStream(LOG_WITNESSES_STREAM);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'WitnessAdded',
      data: { name: 'b.witness.example', url: b.url },
      metadata: { actor: admin },
    });
    expect(await b.roster.current()).toEqual([
      {
        name: 'a.witness.example',
        verifierKey: witnessVerifierKeyFor(a.witnessSigner),
        url: a.url,
      },
    ]);
  });

  // Each log holds its roster event (position 0) before the events the tests append.
  it('pushes each new checkpoint to the other and keeps its verified cosignature', async () => {
    await grow(a, 5);
    await grow(b, 3);
    expect(await a.pusher.tick()).toEqual(
      new Map([['b.witness.example', { outcome: 'cosigned', size: 6, cosignatures: 1 }]]),
    );
    expect(await b.pusher.tick()).toEqual(
      new Map([['a.witness.example', { outcome: 'cosigned', size: 4, cosignatures: 1 }]]),
    );
    // Served with the checkpoint, as GraphQL and /log/checkpoint serve stored cosignatures.
    const checkpoint = await latestOf(a);
    const opened = openCheckpoint({
      note: await a.ledger.cosignedNote(checkpoint),
      origin: a.origin,
      logKey: verifierKeyFor(a.logSigner),
      witnessKeys: [witnessVerifierKeyFor(b.witnessSigner)],
    });
    expect(opened.cosignatures.map((c) => c.name)).toEqual(['b.witness.example']);

    // Grown again: the push carries a consistency proof from the size cosigned.
    await grow(a, 4);
    expect(await a.pusher.tick()).toEqual(
      new Map([['b.witness.example', { outcome: 'cosigned', size: 10, cosignatures: 1 }]]),
    );
    expect(await a.ledger.cosignatures(10)).toHaveLength(1);
    // Nothing new: nothing pushed.
    expect(await a.pusher.tick()).toEqual(new Map());
  });

  it('resends from the size a 409 gives, as a restarted log does', async () => {
    await grow(a, 2);
    const restarted = new WitnessPusher(a.ledger, { witnesses: () => a.roster.current() });
    expect(await restarted.tick()).toEqual(
      new Map([['b.witness.example', { outcome: 'cosigned', size: 12, cosignatures: 1 }]]),
    );
  });

  it('keeps the witness state on disk: a restarted witness server still refuses a rollback', async () => {
    const latest = await latestOf(a);
    const restarted = createWitnessServer({
      witnessKey: parseSignerKey(b.witnessSigner),
      logs: new WitnessedLogs(
        b.stateDir,
        new Map([[a.origin, [parseVerifierKey(verifierKeyFor(a.logSigner))]]]),
      ),
    });
    const url = await listen(restarted);
    try {
      const earlier = await checkpointOf(a, 10);
      const answer = await post(
        url,
        formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: earlier.note }),
      );
      expect(answer).toEqual({ status: 409, type: 'text/x.tlog.size', body: `${latest.size}\n` });
      const served = await fetch(`${url}/${originHash(a.origin)}/checkpoint`);
      expect(served.status).toBe(200);
      const note = await served.text();
      expect(note.startsWith(latest.note)).toBe(true);
      expect(
        openCheckpoint({
          note,
          origin: a.origin,
          logKey: verifierKeyFor(a.logSigner),
          witnessKeys: [witnessVerifierKeyFor(b.witnessSigner)],
        }).cosignatures,
      ).toHaveLength(1);
    } finally {
      restarted.closeAllConnections();
      await new Promise((resolve) => restarted.close(resolve));
    }
  });

  it('accepts a cosignature submitted by a witness it trusts only through the roster', async () => {
    const checkpoint = await latestOf(b);
    const line = cosignCheckpoint({
      signerKey: a.witnessSigner,
      checkpointBody: checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1),
      timestamp: 1_700_000_000,
    });
    await expect(b.ledger.addCosignature({ size: checkpoint.size, line })).resolves.toMatchObject({
      witness: 'a.witness.example',
    });
  });
});

describe('the witness server refuses, with the status c2sp.org/tlog-witness gives', () => {
  /** A checkpoint b's key signs, of any size and root: what a dishonest b could sign. */
  const forged = (size: number, root: Uint8Array) =>
    signNote(formatCheckpoint({ origin: b.origin, size, rootHash: root }), [b.logSigner]);

  it('404 for a log it does not witness', async () => {
    const stranger = generateSignerKey('stranger.example/log');
    const note = signNote(
      formatCheckpoint({
        origin: 'stranger.example/log',
        size: 1,
        rootHash: leafHash(new Uint8Array([1])),
      }),
      [stranger],
    );
    expect(
      await post(a.url, formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: note })),
    ).toMatchObject({ status: 404 });
  });

  it('403 for a checkpoint not signed by the log key, or with a bad signature by it', async () => {
    const impostor = generateSignerKey(b.origin);
    const checkpoint = await latestOf(b);
    const body = checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1);
    const unsigned = signNote(body, [impostor]);
    expect(
      await post(
        a.url,
        formatAddCheckpointRequest({ oldSize: checkpoint.size, proof: [], checkpoint: unsigned }),
      ),
    ).toMatchObject({ status: 403 });
    const sigAt = checkpoint.note.lastIndexOf(' ') + 10;
    const flipped =
      checkpoint.note.slice(0, sigAt) +
      (checkpoint.note[sigAt] === 'A' ? 'B' : 'A') +
      checkpoint.note.slice(sigAt + 1);
    expect(
      await post(
        a.url,
        formatAddCheckpointRequest({ oldSize: checkpoint.size, proof: [], checkpoint: flipped }),
      ),
    ).toMatchObject({ status: 403 });
  });

  it('409 with its size, as text/x.tlog.size, for an old size that is not the one cosigned', async () => {
    const checkpoint = await latestOf(b);
    expect(
      await post(
        a.url,
        formatAddCheckpointRequest({
          oldSize: 1,
          proof: await b.ledger.consistencyProof({ fromSize: 1, toSize: checkpoint.size }),
          checkpoint: checkpoint.note,
        }),
      ),
    ).toEqual({
      status: 409,
      type: 'text/x.tlog.size',
      body: `${checkpoint.size}\n`,
    });
  });

  it('422 for a consistency proof that does not verify', async () => {
    const from = await latestOf(b);
    const to = await grow(b, 4);
    const wrong = await b.ledger.consistencyProof({ fromSize: from.size - 1, toSize: to.size });
    expect(
      await post(
        a.url,
        formatAddCheckpointRequest({ oldSize: from.size, proof: wrong, checkpoint: to.note }),
      ),
    ).toMatchObject({ status: 422 });
    // The witness did not move: the right proof is still cosigned.
    const right = await b.ledger.consistencyProof({ fromSize: from.size, toSize: to.size });
    expect(
      await post(
        a.url,
        formatAddCheckpointRequest({ oldSize: from.size, proof: right, checkpoint: to.note }),
      ),
    ).toMatchObject({ status: 200 });
  });

  it('400 for a rollback: a checkpoint smaller than the old size it names', async () => {
    const cosigned = await latestOf(b);
    const smaller = await checkpointOf(b, 4);
    expect(
      await post(
        a.url,
        formatAddCheckpointRequest({ oldSize: cosigned.size, proof: [], checkpoint: smaller.note }),
      ),
    ).toMatchObject({ status: 400 });
  });

  it('422 for a fork: another root at the size it cosigned, or a proof to another history', async () => {
    const cosigned = await latestOf(b);
    const otherRoot = rootOf([leafHash(new Uint8Array([9]))]);
    expect(
      await post(
        a.url,
        formatAddCheckpointRequest({
          oldSize: cosigned.size,
          proof: [],
          checkpoint: forged(cosigned.size, otherRoot),
        }),
      ),
    ).toMatchObject({ status: 422, body: expect.stringContaining('fork') });
    const proof = await b.ledger.consistencyProof({
      fromSize: cosigned.size - 1,
      toSize: cosigned.size,
    });
    expect(
      await post(
        a.url,
        formatAddCheckpointRequest({
          oldSize: cosigned.size,
          proof,
          checkpoint: forged(cosigned.size + 1, otherRoot),
        }),
      ),
    ).toMatchObject({ status: 422 });
  });
});

describe('the pusher', () => {
  it('does not retry a checkpoint a witness refused with a 4xx; retries a failure with backoff', async () => {
    const c = await startInstance('c');
    await serveWitnessFor(c, []); // c witnesses no log: it answers 404
    await a.roster.add(admin, { url: c.url, verifierKey: witnessVerifierKeyFor(c.witnessSigner) });
    const downSigner = generateSignerKey('down.witness.example');
    await a.roster.add(admin, {
      url: 'http://127.0.0.1:9',
      verifierKey: witnessVerifierKeyFor(downSigner),
    });
    await grow(a, 1);
    const now = Date.now();
    const first = await a.pusher.tick(now);
    expect(first.get('b.witness.example')).toMatchObject({ outcome: 'cosigned' });
    expect(first.get('c.witness.example')).toMatchObject({ outcome: 'refused', status: 404 });
    expect(first.get('down.witness.example')).toMatchObject({ outcome: 'failed' });
    // Within the backoff: nobody is asked again; after it, only the one that failed.
    expect(await a.pusher.tick(now + 500)).toEqual(new Map());
    const later = await a.pusher.tick(now + 1500);
    expect([...later.keys()]).toEqual(['down.witness.example']);
    // Twice the backoff after a second failure.
    expect(await a.pusher.tick(now + 1500 + 1500)).toEqual(new Map());
    expect([...(await a.pusher.tick(now + 1500 + 2500)).keys()]).toEqual(['down.witness.example']);
  });

  it('retries, rather than keeps, an answer it cannot use: a 5xx, a 409 without its size, a foreign cosignature', async () => {
    const other = generateSignerKey('other.witness.example');
    const answers: { status: number; type?: string; body: string }[] = [];
    const fake = createServer((request, response) => {
      request.resume();
      const answer = answers.shift() ?? { status: 500, body: 'nothing scripted\n' };
      response.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain' });
      response.end(answer.body);
    });
    const url = await listen(fake);
    try {
      const latest = await latestOf(a);
      const witness = {
        name: 'fake.witness.example',
        url,
        verifierKey: witnessVerifierKeyFor(generateSignerKey('fake.witness.example')),
      };
      const body = latest.note.slice(0, latest.note.indexOf('\n\n') + 1);
      const foreign = cosignCheckpoint({ signerKey: other, checkpointBody: body, timestamp: 1 });
      answers.push(
        { status: 503, body: 'busy\n' },
        { status: 409, type: 'text/plain', body: '3\n' },
        { status: 200, body: foreign },
      );
      const pusher = new WitnessPusher(a.ledger, { witnesses: () => Promise.resolve([witness]) });
      expect(await pusher.push(witness, latest)).toMatchObject({
        outcome: 'failed',
        reason: 'HTTP 503: busy',
      });
      expect(await pusher.push(witness, latest)).toMatchObject({
        outcome: 'failed',
        reason: expect.stringContaining('without its size as text/x.tlog.size'),
      });
      expect(await pusher.push(witness, latest)).toMatchObject({
        outcome: 'failed',
        reason: 'its answer holds no cosignature by its key',
      });
      expect(await a.ledger.cosignatures(latest.size)).toHaveLength(1);
    } finally {
      fake.closeAllConnections();
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('stops pushing to a witness an administrator removed; a refused change appends nothing', async () => {
    const before = (await a.store.readStream(LOG_WITNESSES_STREAM)).length;
    await expect(a.roster.remove(admin, 'nobody.example')).rejects.toThrow(RosterRefusal);
    await expect(
      a.roster.add(admin, { url: 'ftp://x', verifierKey: witnessVerifierKeyFor(b.witnessSigner) }),
    ).rejects.toThrow(RosterRefusal);
    await expect(a.roster.add(admin, { url: b.url, verifierKey: 'not a key' })).rejects.toThrow(
      RosterRefusal,
    );
    await expect(
      a.roster.add(admin, { url: b.url, verifierKey: witnessVerifierKeyFor(b.witnessSigner) }),
    ).rejects.toThrow('already trusts');
    expect(await a.store.readStream(LOG_WITNESSES_STREAM)).toHaveLength(before);

    for (const name of ['c.witness.example', 'down.witness.example', 'b.witness.example']) {
      await a.roster.remove(admin, name);
    }
    await grow(a, 1);
    expect(await a.pusher.tick(Date.now() + 3_600_000)).toEqual(new Map());
    expect((await a.store.readStream(LOG_WITNESSES_STREAM)).at(-1)).toMatchObject({
      type: 'WitnessRemoved',
      data: { name: 'b.witness.example' },
    });
  });
});
