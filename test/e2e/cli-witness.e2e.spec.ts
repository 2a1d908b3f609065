import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import { generateSignerKey, toBase64, verifierKeyFor, witnessVerifierKeyFor } from '#ledger';
import { freePort, graphql, startServer, type ServerProcess } from '../support/server.js';
import { createTestLog, progressEvent, tamper, type TestLog } from './cli-harness.js';

// A witness (the CLI, as a process) against the log's API server (the built server, as a
// process) over one test database, which the tests then rewrite as a dishonest operator could.

let log: TestLog;
let server: ServerProcess | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await log?.close();
});

/** A log of `appends` x 3 events with a checkpoint every 2 appends, and its API server. */
async function start(options: { appends?: number; serverWitnessKeys?: string } = {}) {
  log = await createTestLog({ appends: options.appends ?? 4, perAppend: 3, checkpointEvery: 2 });
  const witnessKeyFile = path.join(log.dir, 'witness.key');
  await writeFile(witnessKeyFile, `${log.witnessKey}\n`, { mode: 0o600 });
  server = await startServer({
    ...log.env,
    CUENTA_WITNESS_KEYS: options.serverWitnessKeys ?? log.env.CUENTA_WITNESS_KEYS,
    CUENTA_CHECKPOINT_INTERVAL_SECONDS: '86400',
  });
  const stateFile = path.join(log.dir, 'witness-state.json');
  const url = server.url;
  return {
    stateFile,
    witness: (extra: string[] = []) =>
      log.cli([
        'witness',
        '--key',
        witnessKeyFile,
        '--state',
        stateFile,
        '--server',
        url,
        ...extra,
      ]),
    state: async () => JSON.parse(await readFile(stateFile, 'utf8')),
    stateText: () => readFile(stateFile, 'utf8'),
  };
}

/** Replaces the events from `from` on with `count` others, as one new history. */
async function rewriteFrom(from: number, count: number, statements: string[] = []) {
  await tamper(log, [
    ...statements,
    `DELETE FROM events.events WHERE global_position >= ${from}`,
    `UPDATE events.log_head SET size = ${from}`,
  ]);
  const rewriter = await PostgresEventStore.open({ connectionString: log.database.url });
  try {
    await rewriter.append(
      'progress-rewritten',
      Array.from({ length: count }, (_, i) => progressEvent(500 + i, 'Otra historia')),
      'any',
    );
  } finally {
    await rewriter.close();
  }
}

const evidenceFiles = async () =>
  (await readdir(log.dir)).filter((name) => name.startsWith('witness-state.json.conflict-'));

describe('cuenta witness against an honest log', () => {
  it('cosigns at first contact, pinning the key the log announces, and the log keeps the cosignature', async () => {
    const { witness, state } = await start();
    const { code, stdout, stderr } = await witness();
    const checkpoint = await log.ledger.checkpointAt(12);
    const { body } = await graphql(server?.url ?? '', '{ cosignatures(size: 12) { witness } }');
    expect(code).toBe(0);
    expect(stderr).toContain(
      `first contact: pinning the log key ${verifierKeyFor(log.logKey)} as announced by`,
    );
    expect(stdout).toMatch(
      /^cosigned cuenta.example\/cartagena at size 12 \(root \S+\) as contraloria.example\/witness; first contact; state saved in /,
    );
    expect(await state()).toMatchObject({
      format: 'cuenta.witness-state/v1',
      origin: 'cuenta.example/cartagena',
      logKey: verifierKeyFor(log.logKey),
      size: 12,
      rootHash: toBase64(checkpoint?.rootHash ?? new Uint8Array()),
      checkpoint: checkpoint?.note,
    });
    expect(body.data?.cosignatures).toEqual([{ witness: 'contraloria.example/witness' }]);
  });

  it('checks each new checkpoint against its state, and has nothing to do when the log did not grow', async () => {
    const { witness, state, stateText } = await start();
    await witness(['--log-key', verifierKeyFor(log.logKey)]);
    const first = await stateText();
    const idle = await witness();
    const unchanged = await stateText();
    await log.store.append('progress-9', [progressEvent(90), progressEvent(91)], 'any');
    await log.ledger.signCheckpoint();
    const grown = await witness();
    const exportDir = path.join(log.dir, 'cosigned-export');
    await log.cli(['export', exportDir]);
    const verified = await log.cli([
      'verify',
      exportDir,
      '--key',
      verifierKeyFor(log.logKey),
      '--witness-key',
      witnessVerifierKeyFor(log.witnessKey),
    ]);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toMatch(
      /^nothing new: cuenta.example\/cartagena is still at size 12, cosigned at /,
    );
    expect(unchanged).toBe(first);
    expect(grown.code).toBe(0);
    expect(grown.stdout).toContain('at size 14 ');
    expect(grown.stdout).toContain('consistent with size 12');
    expect((await state()).size).toBe(14);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('2 witness cosignatures');
  });
});

describe('cuenta witness against a log that rewrites its history', () => {
  it('refuses a larger checkpoint that is not consistent with its state, keeping the state and the evidence', async () => {
    const { witness, stateText } = await start();
    await witness();
    const before = await stateText();
    await rewriteFrom(6, 10);
    const forked = await log.ledger.signCheckpoint();
    const { code, stderr } = await witness();
    const [evidence] = await evidenceFiles();
    const evidenceText = await readFile(path.join(log.dir, evidence), 'utf8');
    const { body } = await graphql(server?.url ?? '', '{ cosignatures(size: 16) { witness } }');
    expect(forked?.size).toBe(16);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^cuenta witness: refusing to cosign: the log's checkpoint of size 16 is not consistent with the checkpoint of size 12 this witness cosigned: the consistency proof it served does not lead from the root cosigned then to the root it signs now; its history was rewritten; evidence saved in .*; state unchanged\n$/,
    );
    expect(await stateText()).toBe(before);
    expect(evidenceText).toContain(JSON.parse(before).checkpoint);
    expect(evidenceText).toContain(forked?.note);
    expect(body.data?.cosignatures).toEqual([]);
  });

  it('refuses another tree at the size it cosigned (a fork), keeping its state', async () => {
    const { witness, stateText } = await start();
    await witness();
    const before = await stateText();
    await rewriteFrom(6, 6, [
      'DELETE FROM events.cosignatures WHERE size = 12',
      'DELETE FROM events.checkpoints WHERE size = 12',
    ]);
    const forked = await log.ledger.signCheckpoint();
    const { code, stderr } = await witness();
    expect(forked?.size).toBe(12);
    expect(toBase64(forked?.rootHash ?? new Uint8Array())).not.toBe(JSON.parse(before).rootHash);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^cuenta witness: refusing to cosign: the log signed two different trees of size 12: root \S+ now, \S+ when this witness cosigned it \(a fork\); evidence saved in /,
    );
    expect(await stateText()).toBe(before);
  });

  it('refuses a log whose latest checkpoint is smaller than its state', async () => {
    const { witness, stateText } = await start();
    await witness();
    const before = await stateText();
    await tamper(log, [
      'DELETE FROM events.cosignatures WHERE size = 12',
      'DELETE FROM events.checkpoints WHERE size = 12',
    ]);
    const { code, stderr } = await witness();
    expect(code).toBe(1);
    expect(stderr).toContain(
      "refusing to cosign: the log's latest checkpoint has size 6, smaller than the size 12 this witness cosigned at",
    );
    expect(await stateText()).toBe(before);
  });
});

describe('cuenta witness failures', () => {
  it('refuses a checkpoint the pinned key did not sign, and writes no state', async () => {
    const { witness, stateFile } = await start();
    const stranger = verifierKeyFor(generateSignerKey('cuenta.example/cartagena'));
    const { code, stderr } = await witness(['--log-key', stranger]);
    expect(code).toBe(1);
    expect(stderr).toContain(`the log's latest checkpoint does not verify with ${stranger}`);
    await expect(readFile(stateFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes no state when the log refuses its cosignature', async () => {
    const other = witnessVerifierKeyFor(generateSignerKey('personeria.example/witness'));
    const { witness, stateFile } = await start({ serverWitnessKeys: other });
    const { code, stderr } = await witness();
    expect(code).toBe(1);
    expect(stderr.trim().split('\n').pop()).toMatch(
      /^cuenta witness: the log refused submitCosignature: cosignature rejected: .* \(INVALID_COSIGNATURE\)$/,
    );
    await expect(readFile(stateFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps its state when the log cannot be reached', async () => {
    const { stateFile, stateText } = await start();
    await writeFile(stateFile, '');
    const port = await freePort();
    const keyFile = path.join(log.dir, 'witness.key');
    const { code, stderr } = await log.cli([
      'witness',
      '--key',
      keyFile,
      '--state',
      stateFile,
      '--server',
      `http://127.0.0.1:${port}`,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^cuenta witness: cannot reach http://127.0.0.1:${port}/graphql: `),
    );
    expect(await stateText()).toBe('');
  });

  it('refuses bad flags and unreadable state with one line each', async () => {
    const { witness, stateFile } = await start({ appends: 2 });
    const openKey = path.join(log.dir, 'open.key');
    await writeFile(openKey, `${log.witnessKey}\n`, { mode: 0o644 });
    const noServer = await log.cli([
      'witness',
      '--key',
      path.join(log.dir, 'witness.key'),
      '--state',
      stateFile,
    ]);
    const keyOpen = await log.cli([
      'witness',
      '--key',
      openKey,
      '--state',
      stateFile,
      '--server',
      'http://127.0.0.1:1',
    ]);
    await writeFile(stateFile, '{"size": 3}');
    const garbage = await witness();
    expect([noServer.code, keyOpen.code, garbage.code]).toEqual([2, 2, 1]);
    expect(noServer.stderr).toBe(
      'cuenta witness: --server <url> is required (see cuenta witness --help)\n',
    );
    expect(keyOpen.stderr).toBe(
      `cuenta witness: --key: the signer key file ${openKey} is readable by others (mode 644); run: chmod 600 ${openKey} (see cuenta witness --help)\n`,
    );
    expect(garbage.stderr).toBe(
      `cuenta witness: the state file ${stateFile} is not a witness state: format must be "cuenta.witness-state/v1"\n`,
    );
    expect(await readFile(stateFile, 'utf8')).toBe('{"size": 3}');
  });
});
