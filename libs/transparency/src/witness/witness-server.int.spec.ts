import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  formatAddCheckpointRequest,
  formatCheckpoint,
  generateSignerKey,
  leafHash,
  parseSignerKey,
  parseVerifierKey,
  planConsistency,
  rootOf,
  signNote,
  verifierKeyFor,
} from '#ledger';
import { createWitnessServer } from './witness-server.js';
import { WitnessedLogs } from './witnessed-logs.js';

// The witness server alone (no database): what it keeps on disk, and that concurrent pushes
// for one log never roll its state back (c2sp.org/tlog-witness, "checking the old size ...
// and persisting the new checkpoint must be performed atomically").

const ORIGIN = 'cuenta.example/concurrent';
const logSigner = generateSignerKey(ORIGIN);
const leaves = Array.from({ length: 64 }, (_, n) => leafHash(new Uint8Array([n])));
const signed = (size: number) =>
  signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: rootOf(leaves.slice(0, size)) }), [
    logSigner,
  ]);
const proof = (from: number, to: number) => {
  const plan = planConsistency(from, to);
  return plan.assemble(
    plan.nodes.map(({ level, index }) =>
      rootOf(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)),
    ),
  );
};

let stateDir: string;
let logs: WitnessedLogs;
let url: string;
let server: ReturnType<typeof createWitnessServer>;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'witness-server-'));
  logs = new WitnessedLogs(
    stateDir,
    new Map([[ORIGIN, [parseVerifierKey(verifierKeyFor(logSigner))]]]),
  );
  server = createWitnessServer({
    witnessKey: parseSignerKey(generateSignerKey('witness.example')),
    logs,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(stateDir, { recursive: true, force: true });
});

const post = async (oldSize: number, size: number) => {
  const response = await fetch(`${url}/add-checkpoint`, {
    method: 'POST',
    body: formatAddCheckpointRequest({
      oldSize,
      proof: oldSize === 0 ? [] : proof(oldSize, size),
      checkpoint: signed(size),
    }),
  });
  return { size, status: response.status, body: await response.text() };
};

describe('the witness server under concurrent pushes', () => {
  it('cosigns exactly one of many first contacts; the others learn its size from a 409', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(0, i + 1)));
    const cosigned = answers.filter((a) => a.status === 200);
    expect(cosigned).toHaveLength(1);
    const held = cosigned[0].size;
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(answer).toEqual({ size: answer.size, status: 409, body: `${held}\n` });
    }
    expect((await logs.latest(ORIGIN))?.size).toBe(held);
  });

  it('never rolls back: of pushes from the same old size, the one cosigned is the one kept', async () => {
    const held = (await logs.latest(ORIGIN))?.size ?? 0;
    const answers = await Promise.all([post(held, held + 1), post(held, held + 30)]);
    const cosigned = answers.filter((a) => a.status === 200);
    expect(cosigned).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(1);
    expect((await logs.latest(ORIGIN))?.size).toBe(cosigned[0].size);
    // One state file, no temporary file left behind.
    expect(await readdir(stateDir)).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
  });

  it('answers 405 to a GET on add-checkpoint, 404 elsewhere and for a log never cosigned', async () => {
    expect((await fetch(`${url}/add-checkpoint`)).status).toBe(405);
    expect((await fetch(`${url}/nothing`)).status).toBe(404);
    expect((await fetch(`${url}/${'0'.repeat(64)}/checkpoint`)).status).toBe(404);
  });
});
