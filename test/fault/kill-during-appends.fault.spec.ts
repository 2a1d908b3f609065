import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID } from '../../libs/commitments/demo/index.js';
import { verifierKeyFor } from '#ledger';
import { createTestLog, type TestLog } from '../e2e/cli-harness.js';
import { bearer, localTokens } from '../support/access.js';
import { startServer, type ServerProcess } from '../support/server.js';
import { until } from '../support/until.js';
import {
  logFacts,
  projectionLag,
  readModels,
  writeCommitment,
  type Acknowledged,
} from './fault-harness.js';

// The API killed with SIGKILL while it appends, five times, restarted each time: what it
// acknowledged before dying must all be in the log, at the positions it gave, and the log,
// its export and the read models must be whole.

const KILLS = 5;
const WRITERS = 6;

describe('the API killed (-9) during appends', () => {
  let log: TestLog;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;
  const acknowledged: Acknowledged[] = [];
  let kills = 0;
  /** Commands cut off by a kill: the kills landed while appends were in flight. */
  let interrupted = 0;

  beforeAll(async () => {
    log = await createTestLog();
    env = {
      ...log.env,
      CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
      // Signing now and then, so a kill may also land while a checkpoint is signed.
      CUENTA_CHECKPOINT_INTERVAL_SECONDS: '1',
      CUENTA_CHECKPOINT_EVERY_EVENTS: '50',
    };
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await log?.close();
  });

  it('loses no acknowledged event, leaves no gap or duplicate, and rebuilds to the same read models', async () => {
    const { mint } = await localTokens(env.CUENTA_DATA_DIR);
    const steward = bearer(
      await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID], ttlSeconds: 3600 }),
    );
    for (let round = 0; round <= KILLS; round++) {
      const running = await startServer(env, 60_000);
      server = running;
      let stopped = false;
      const before = acknowledged.length;
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        for (let n = 0; !stopped; n++) {
          const written = await writeCommitment({
            url: running.url,
            steward,
            id: `k${round}-${w}-${n}`,
            reports: 3,
            ack: (result) => acknowledged.push(result),
            stopped: () => stopped,
          });
          if (!written) {
            if (!stopped) interrupted++;
            return;
          }
        }
      });
      // Kill once the writers are well under way, at a moment that varies with the load.
      await until(
        async () => acknowledged.length - before,
        (count) => count >= 20 + 7 * round,
        60_000,
      );
      if (round < KILLS) {
        await running.stop('SIGKILL');
        kills++;
      } else {
        stopped = true;
      }
      await Promise.all(writers);
    }

    // The last server, left running: its projections catch up with the log.
    await until(
      () => projectionLag(log.database.url),
      (lag) => lag.behind.length === 0,
      60_000,
    );
    const live = await readModels(log.database.url);
    await server?.stop();
    server = undefined;
    const facts = await logFacts(log.database.url, acknowledged);
    const replay = await log.cli(['replay']);
    const rebuilt = await readModels(log.database.url);
    const bundle = path.join(log.dir, 'export');
    const exported = await log.cli(['export', bundle]);
    const verified = await log.cli(['verify', bundle, '--key', verifierKeyFor(log.logKey)]);

    expect(kills).toBe(KILLS);
    expect(interrupted).toBeGreaterThanOrEqual(KILLS);
    expect(facts.lost).toEqual([]);
    expect(facts.acknowledged).toBeGreaterThan(KILLS * 20);
    // Dense from 0, each id once.
    expect(facts).toMatchObject({ first: 0, last: facts.events - 1, ids: facts.events });
    expect(replay).toMatchObject({ code: 0, stderr: '' });
    expect(live.commitments.length).toBeGreaterThan(KILLS);
    expect(rebuilt).toEqual(live);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toContain(`verified ${bundle}: ${facts.events} events`);
  }, 600_000);
});
