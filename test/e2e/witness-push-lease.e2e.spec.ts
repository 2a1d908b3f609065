import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import {
  generateSignerKey,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyFor,
  witnessVerifierKeyFor,
} from '#ledger';
import { createWitnessServer, WitnessedLogs } from '#transparency/standalone';
import { localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';
import { progressEvent } from './cli-harness.js';

// Two API processes on one database, as a deployment with two instances runs: only one of
// them pushes checkpoints to the witness (c2sp.org/tlog-witness), and when it stops the other
// takes over from what the log and the witness hold. The witness sits behind a front that
// records every add-checkpoint request and its answer.

const origin = 'cuenta.twins.example/log';
const ACTIVE = 'pushing checkpoints to witnesses from this process';

interface Push {
  oldSize: number;
  size: number;
  status: number;
}

describe('the witness pusher with two API processes on one database', () => {
  let dir: string;
  let database: TestDatabase;
  let servers: ServerProcess[];
  let witness: Server;
  let front: Server;
  let frontUrl: string;
  const pushes: Push[] = [];
  const witnessKey = generateSignerKey('contraloria.twins.example');

  const listen = async (server: Server) => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-push-lease-'));
    const logKey = generateSignerKey(origin);
    await writeFile(path.join(dir, 'log.key'), `${logKey}\n`, { mode: 0o600 });
    await mkdir(path.join(dir, 'witness-state'));
    witness = createWitnessServer({
      witnessKey: parseSignerKey(witnessKey),
      logs: new WitnessedLogs(
        path.join(dir, 'witness-state'),
        new Map([[origin, [parseVerifierKey(verifierKeyFor(logKey))]]]),
      ),
    });
    const witnessUrl = await listen(witness);
    front = createServer((request, response) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = await fetch(`${witnessUrl}${request.url}`, {
          method: request.method,
          headers: { 'content-type': request.headers['content-type'] ?? 'text/plain' },
          body: request.method === 'POST' ? body : undefined,
        });
        const text = await answer.text();
        if (request.url === '/add-checkpoint') {
          // "old <n>", proof lines, a blank line, then the checkpoint: origin, size, root.
          const [oldLine] = body.split('\n');
          const note = body.slice(body.indexOf('\n\n') + 2);
          pushes.push({
            oldSize: Number(oldLine.slice('old '.length)),
            size: Number(note.split('\n')[1]),
            status: answer.status,
          });
        }
        response
          .writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'text/plain',
          })
          .end(text);
      })();
    });
    frontUrl = await listen(front);

    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: path.join(dir, 'data'),
      CUENTA_LOG_KEY_FILE: path.join(dir, 'log.key'),
      CUENTA_LOG_ORIGIN: origin,
      CUENTA_CHECKPOINT_EVERY_EVENTS: '1',
      CUENTA_CHECKPOINT_INTERVAL_SECONDS: '1',
    };
    servers = [await startServer(env)];
    servers.push(await startServer(env));
  }, 120_000);

  afterAll(async () => {
    for (const server of servers ?? []) await server.stop();
    witness?.close();
    front?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const append = async (count: number) => {
    const store = await PostgresEventStore.open({ connectionString: database.url });
    try {
      await store.append(
        'progress-twins',
        Array.from({ length: count }, (_, i) => progressEvent(i)),
        'any',
      );
    } finally {
      await store.close();
    }
  };

  /**
   * Waits until the checkpoint `server` serves is of `size` and carries the cosignature. (The
   * log's first event is the witness's addition to its roster.)
   */
  const cosigned = async (server: ServerProcess, size: number) => {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const note = await (await fetch(`${server.url}/log/checkpoint`)).text();
      if (
        Number(note.split('\n')[1]) === size &&
        note.includes('\u2014 contraloria.twins.example ')
      ) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `checkpoint ${size} not cosigned:\n${note}\n${servers.map((s) => s.output()).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  /** Every checkpoint the witness cosigned, by size: each must have been cosigned once. */
  const cosignedSizes = () => {
    const counts = new Map<number, number>();
    for (const push of pushes.filter((p) => p.status === 200)) {
      counts.set(push.size, (counts.get(push.size) ?? 0) + 1);
    }
    return counts;
  };

  it('pushes each checkpoint once, from one process, and the other takes over when it stops', async () => {
    const admin = await (await localTokens(path.join(dir, 'data'))).mint({ role: 'administrator' });
    const added = await graphql(
      servers[0].url,
      'mutation ($url: String!, $key: String!) { addLogWitness(url: $url, verifierKey: $key) { name } }',
      { url: frontUrl, key: witnessVerifierKeyFor(witnessKey) },
      { authorization: `Bearer ${admin}` },
    );
    expect(added.body.errors).toBeUndefined();

    await append(5);
    await cosigned(servers[0], 6);
    await append(3);
    await cosigned(servers[1], 9);
    const active = servers.filter((server) => server.output().includes(ACTIVE));
    expect(active).toHaveLength(1);
    expect([...cosignedSizes().values()].every((count) => count === 1)).toBe(true);
    expect([...cosignedSizes().keys()]).toContain(9);

    // The active process stops; the other takes the lease and goes on from the witness's 9.
    const [standby] = servers.filter((server) => server !== active[0]);
    await active[0].stop();
    const before = pushes.length;
    await append(2);
    await cosigned(standby, 11);
    expect(standby.output()).toContain(ACTIVE);
    expect([...cosignedSizes().entries()].filter(([, count]) => count !== 1)).toEqual([]);
    expect(cosignedSizes().get(11)).toBe(1);
    // It knew the witness's size from the log: no 409 to learn it, no checkpoint again.
    expect(pushes.slice(before)).toEqual([{ oldSize: 9, size: 11, status: 200 }]);
  }, 150_000);
});
