import { copyFile, chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  canonicalize,
  cosignCheckpoint,
  parseSignerKey,
  parseTlogProof,
  toBase64,
  verifierKeyFor,
  witnessVerifierKeyFor,
  generateSignerKey,
  leafHashOfText,
} from '#ledger';
import { createTestLog, jsonLines, ORIGIN, type TestLog } from './cli-harness.js';

const NOTE_FIXTURES = 'libs/ledger/test/fixtures/note';
const fixture = (file: string) => path.join(NOTE_FIXTURES, file);

describe('cuenta keys', () => {
  let log: TestLog;

  beforeAll(async () => {
    log = await createTestLog();
  });

  afterAll(async () => {
    await log.close();
  });

  it('writes a new signer key readable by its owner only and prints both verifier keys', async () => {
    const out = path.join(log.dir, 'keys', 'witness.key');
    const { code, stdout, stderr } = await log.cli([
      'keys',
      'generate',
      'contraloria.example/witness',
      '--out',
      out,
    ]);
    const signer = (await readFile(out, 'utf8')).trim();
    expect(code).toBe(0);
    expect(parseSignerKey(signer).name).toBe('contraloria.example/witness');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(stdout).toBe(`${verifierKeyFor(signer)}\n${witnessVerifierKeyFor(signer)}\n`);
    expect(stderr).toContain('keep it secret');
  });

  it('never overwrites an existing key file', async () => {
    const out = path.join(log.dir, 'existing.key');
    await writeFile(out, 'precious\n', { mode: 0o600 });
    const { code, stderr } = await log.cli(['keys', 'generate', 'someone', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `cuenta keys: --out: ${out} already exists; a key file is never overwritten (see cuenta keys --help)\n`,
    );
    expect(await readFile(out, 'utf8')).toBe('precious\n');
  });

  it('prints the verifier keys of an existing signer key', async () => {
    const { code, stdout } = await log.cli(['keys', 'verifier', '--key', log.keyFile]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${verifierKeyFor(log.logKey)}\n${witnessVerifierKeyFor(log.logKey)}\n`);
  });

  it('refuses bad names, missing flags and unknown actions with exit code 2', async () => {
    const out = path.join(log.dir, 'never.key');
    const badName = await log.cli(['keys', 'generate', 'two words', '--out', out]);
    const noOut = await log.cli(['keys', 'generate', 'name']);
    const unknown = await log.cli(['keys', 'rotate']);
    expect([badName.code, noOut.code, unknown.code]).toEqual([2, 2, 2]);
    expect(badName.stderr).toContain('a key name must not contain spaces');
    expect(noOut.stderr).toBe('cuenta keys: --out <file> is required (see cuenta keys --help)\n');
    expect(unknown.stderr).toBe('cuenta keys: unknown action "rotate" (see cuenta keys --help)\n');
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe("cuenta note, against Go's sumdb/note", () => {
  let log: TestLog;
  let peterKey: string;

  beforeAll(async () => {
    log = await createTestLog();
    peterKey = path.join(log.dir, 'peter.skey');
    await copyFile(fixture('go-peter-neumann.skey'), peterKey);
    await chmod(peterKey, 0o600);
  });

  afterAll(async () => {
    await log.close();
  });

  it("signs Go's test text with Go's test key to exactly the bytes note.Sign gives", async () => {
    const { code, stdout } = await log.cli([
      'note',
      'sign',
      '--key',
      peterKey,
      fixture('go-text.txt'),
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe(await readFile(fixture('go-signed-by-peter.note'), 'utf8'));
  });

  it('verifies a note Go signed with two keys, by either key, and prints its text', async () => {
    const note = fixture('go-signed-by-peter-and-enoch.note');
    const byFile = await log.cli(['note', 'verify', '--key', fixture('go-enoch-root.vkey'), note]);
    const peter = (await readFile(fixture('go-peter-neumann.vkey'), 'utf8')).trim();
    const byString = await log.cli(['note', 'verify', '--key', peter, note]);
    const text = await readFile(fixture('go-text.txt'), 'utf8');
    expect([byFile.code, byString.code]).toEqual([0, 0]);
    expect(byFile.stdout).toBe(text);
    expect(byFile.stderr).toBe('verified: signed by EnochRoot+af0cfe78\n');
    expect(byString.stderr).toBe('verified: signed by PeterNeumann+c74f20a3\n');
  });

  it('exits 1 with the reason when the key did not sign the note, or the text was changed', async () => {
    const unsigned = await log.cli([
      'note',
      'verify',
      '--key',
      fixture('go-enoch-root.vkey'),
      fixture('go-signed-by-peter.note'),
    ]);
    const changed = path.join(log.dir, 'changed.note');
    const original = await readFile(fixture('go-signed-by-peter.note'), 'utf8');
    await writeFile(changed, original.replace('cryptography', 'Cryptography'));
    const tampered = await log.cli([
      'note',
      'verify',
      '--key',
      fixture('go-peter-neumann.vkey'),
      changed,
    ]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toBe(
      `cuenta note: ${fixture('go-signed-by-peter.note')} does not verify: note has no verifiable signatures (signed by unknown keys PeterNeumann+c74f20a3)\n`,
    );
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toBe(
      `cuenta note: ${changed} does not verify: invalid signature for key PeterNeumann+c74f20a3\n`,
    );
  });

  it('round-trips a note it signed with a key it generated', async () => {
    const key = path.join(log.dir, 'mine.key');
    const text = path.join(log.dir, 'acta.txt');
    await writeFile(text, 'Acta de la audiencia pública\nCartagena, 2023\n');
    const generated = await log.cli(['keys', 'generate', 'personeria.example', '--out', key]);
    const signed = await log.cli(['note', 'sign', '--key', key, text]);
    await writeFile(path.join(log.dir, 'acta.note'), signed.stdout);
    const vkey = generated.stdout.split('\n')[0];
    const verified = await log.cli([
      'note',
      'verify',
      '--key',
      vkey,
      path.join(log.dir, 'acta.note'),
    ]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toBe('Acta de la audiencia pública\nCartagena, 2023\n');
  });

  it('refuses, with exit code 2, a missing file, a bad key and a signer key others can read', async () => {
    const missing = await log.cli([
      'note',
      'verify',
      '--key',
      fixture('go-enoch-root.vkey'),
      '/no/such.note',
    ]);
    const badKey = await log.cli([
      'note',
      'verify',
      '--key',
      'Enoch+1234+AAAA',
      fixture('go-text.txt'),
    ]);
    const open = await log.cli([
      'note',
      'sign',
      '--key',
      fixture('go-peter-neumann.skey'),
      fixture('go-text.txt'),
    ]);
    const noNewline = path.join(log.dir, 'no-newline.txt');
    await writeFile(noNewline, 'no newline');
    const unterminated = await log.cli(['note', 'sign', '--key', peterKey, noNewline]);
    expect([missing.code, badKey.code, open.code, unterminated.code]).toEqual([2, 2, 2, 2]);
    expect(missing.stderr).toBe(
      'cuenta note: the signed note /no/such.note does not exist (see cuenta note --help)\n',
    );
    expect(badKey.stderr).toBe(
      'cuenta note: --key is not a valid verifier key: the key ID of a verifier key is 8 hex digits, got "1234" (see cuenta note --help)\n',
    );
    expect(open.stderr).toContain('is readable by others (mode 644); run: chmod 600');
    expect(unterminated.stderr).toContain('must end with a newline');
  });
});

describe('cuenta export and verify', () => {
  let log: TestLog;

  beforeAll(async () => {
    // 9 appends of 3 events, a checkpoint every 3 appends, then 4 events no checkpoint covers.
    log = await createTestLog({ appends: 9, perAppend: 3, checkpointEvery: 3 });
    const body = (await log.ledger.checkpointAt(18))?.note ?? '';
    await log.ledger.addCosignature({
      size: 18,
      line: cosignCheckpoint({
        signerKey: log.witnessKey,
        checkpointBody: body.slice(0, body.indexOf('\n\n') + 1),
        timestamp: 1_700_000_000,
      }),
    });
    await log.store.append(
      'progress-late',
      [1, 2, 3, 4].map((i) => progressEventLike(i)),
      'any',
    );
  });

  afterAll(async () => {
    await log.close();
  });

  it('signs a checkpoint for events none covers, then writes every event, checkpoint and key', async () => {
    const dir = path.join(log.dir, 'export-full');
    const { code, stdout } = await log.cli(['export', dir]);
    const latest = await log.ledger.latestCheckpoint();
    const events = await log.store.readAll({ raw: true, limit: 100 });
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    const keys = JSON.parse(await readFile(path.join(dir, 'keys.json'), 'utf8'));
    const checkpoints = jsonLines(await readFile(path.join(dir, 'checkpoints.jsonl'), 'utf8'));
    expect(code).toBe(0);
    expect(latest?.size).toBe(31);
    expect(stdout).toBe(
      `exported 31 events, 4 checkpoints and 1 cosignature of ${ORIGIN} to ${dir} ` +
        `(cut at the checkpoint of size 31, root ${toBase64(latest?.rootHash ?? new Uint8Array())}, signed now)\n`,
    );
    expect(await readFile(path.join(dir, 'events.jsonl'), 'utf8')).toBe(
      events.map((e) => `${canonicalize(e)}\n`).join(''),
    );
    expect(checkpoints.map((line) => JSON.parse(line).size)).toEqual([9, 18, 27, 31]);
    expect(JSON.parse(checkpoints[1]).note).toContain('— contraloria.example/witness ');
    expect(keys).toEqual({
      log: verifierKeyFor(log.logKey),
      witnesses: [witnessVerifierKeyFor(log.witnessKey)],
    });
    expect(manifest).toMatchObject({
      format: 'cuenta.ledger-bundle/v2',
      origin: ORIGIN,
      events: 31,
      checkpoints: 4,
    });
    expect(toBase64(await readFile(path.join(dir, 'leaves.bin')))).toBe(
      toBase64(Buffer.concat(events.map((e) => leafHashOfText(canonicalize(e))))),
    );
  });

  it('still verifies a bundle of the format before leaves.bin (v1)', async () => {
    const dir = path.join(log.dir, 'export-v1');
    await log.cli(['export', dir]);
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(
      manifestFile,
      JSON.stringify({ ...manifest, format: 'cuenta.ledger-bundle/v1' }),
    );
    await rm(path.join(dir, 'leaves.bin'));
    const { code, stdout } = await log.cli(['verify', dir, '--key', verifierKeyFor(log.logKey)]);
    expect(code).toBe(0);
    expect(stdout).toContain(`verified ${dir}: 31 events and 4 checkpoints of ${ORIGIN}`);
  });

  it('verifies its export against the pinned log and witness keys', async () => {
    const dir = path.join(log.dir, 'export-pinned');
    await log.cli(['export', dir]);
    const { code, stdout, stderr } = await log.cli([
      'verify',
      dir,
      '--key',
      verifierKeyFor(log.logKey),
      '--witness-key',
      witnessVerifierKeyFor(log.witnessKey),
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      new RegExp(
        `^verified ${dir}: 31 events and 4 checkpoints of ${ORIGIN} \\(latest: size 31, root \\S+\\), ` +
          `1 witness cosignature; log key ${ORIGIN}\\+[0-9a-f]{8} pinned, 1 witness key pinned; .* on one thread\\n$`,
      ),
    );
  });

  it('says so when it trusts the keys in the bundle rather than pinned ones', async () => {
    const dir = path.join(log.dir, 'export-unpinned');
    await log.cli(['export', dir]);
    const { code, stdout, stderr } = await log.cli(['verify', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('from keys.json, NOT pinned');
    expect(stderr).toContain('the log key was taken from the bundle (keys.json), not pinned');
  });

  it('gives the same answer on worker threads as on one thread', async () => {
    const dir = path.join(log.dir, 'export-workers');
    await log.cli(['export', dir]);
    const key = verifierKeyFor(log.logKey);
    const one = await log.cli(['verify', dir, '--key', key, '--workers', '0']);
    const two = await log.cli([
      'verify',
      dir,
      '--key',
      key,
      '--workers',
      '2',
      '--chunk-bytes',
      '4096',
    ]);
    const strip = (s: string) => s.replace(/; [\d.]+ s, .*\n$/, '');
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(two.stdout).toContain('on 2 workers');
    expect(strip(two.stdout)).toBe(strip(one.stdout));
  });

  it('refuses a folder that is not empty, writing nothing', async () => {
    const dir = path.join(log.dir, 'occupied');
    await mkdir(dir);
    await writeFile(path.join(dir, 'notes.txt'), 'mine\n');
    const { code, stderr } = await log.cli(['export', dir]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `cuenta export: ${dir} is not empty; export writes into a new or empty folder (see cuenta export --help)\n`,
    );
  });

  it('refuses to sign with a key file that is missing or is not the log key', async () => {
    const other = path.join(log.dir, 'other.key');
    await writeFile(other, `${generateSignerKey(ORIGIN)}\n`, { mode: 0o600 });
    const missing = await log.cli(['export', path.join(log.dir, 'x1')], {
      CUENTA_LOG_KEY_FILE: path.join(log.dir, 'absent.key'),
    });
    const wrong = await log.cli(['export', path.join(log.dir, 'x2')], {
      CUENTA_LOG_KEY_FILE: other,
    });
    expect([missing.code, wrong.code]).toEqual([1, 1]);
    expect(missing.stderr).toContain(
      `the log key file ${path.join(log.dir, 'absent.key')} does not exist`,
    );
    expect(wrong.stderr).toContain(`the key in ${other}`);
    expect(wrong.stderr).toContain("did not sign this log's latest checkpoint (size 31)");
  });

  it('rejects the export under a key that is not the log key, at the first checkpoint', async () => {
    const dir = path.join(log.dir, 'export-other-key');
    await log.cli(['export', dir]);
    const stranger = verifierKeyFor(generateSignerKey(ORIGIN));
    const { code, stderr } = await log.cli(['verify', dir, '--key', stranger]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^cuenta verify: ${dir} does not verify: checkpoint at size 9, checkpoints.jsonl line 1: note has no verifiable signatures`,
      ),
    );
  });

  it('refuses bad verify arguments with exit code 2', async () => {
    const noDir = await log.cli(['verify', path.join(log.dir, 'nothing-here')]);
    const witnessAsLog = await log.cli([
      'verify',
      log.dir,
      '--key',
      witnessVerifierKeyFor(log.witnessKey),
    ]);
    const workers = await log.cli(['verify', log.dir, '--workers', 'many']);
    expect([noDir.code, witnessAsLog.code, workers.code]).toEqual([2, 2, 2]);
    expect(noDir.stderr).toBe(
      `cuenta verify: the bundle folder ${path.join(log.dir, 'nothing-here')} does not exist (see cuenta verify --help)\n`,
    );
    expect(witnessAsLog.stderr).toContain('--key must be the log key (type 0x01)');
    expect(workers.stderr).toContain('--workers must be an integer from 0 to 64 (got "many")');
  });
});

describe('cuenta export on an empty log', () => {
  it('says there is nothing to export and leaves no folder behind', async () => {
    const log = await createTestLog();
    try {
      const dir = path.join(log.dir, 'empty');
      const { code, stderr } = await log.cli(['export', dir]);
      expect(code).toBe(1);
      expect(stderr).toBe('cuenta export: the log is empty: there is nothing to export\n');
      await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await log.close();
    }
  });
});

describe('cuenta proof and verify-proof', () => {
  let log: TestLog;
  let exported: string[];

  beforeAll(async () => {
    log = await createTestLog({ appends: 5, perAppend: 2 });
    const dir = path.join(log.dir, 'bundle');
    await log.cli(['export', dir]);
    exported = jsonLines(await readFile(path.join(dir, 'events.jsonl'), 'utf8'));
  });

  afterAll(async () => {
    await log.close();
  });

  const saveProof = async (name: string, args: string[]) => {
    const result = await log.cli(['proof', ...args]);
    await writeFile(path.join(log.dir, name), result.stdout);
    return result;
  };

  it('prints a tlog-proof for an event id that verifies offline against the export line', async () => {
    const event = JSON.parse(exported[6]);
    const proof = await saveProof('event-6.tlog-proof', [event.id]);
    await writeFile(path.join(log.dir, 'event-6.json'), `${exported[6]}\n`);
    const { code, stdout } = await log.cli([
      'verify-proof',
      '--key',
      verifierKeyFor(log.logKey),
      path.join(log.dir, 'event-6.tlog-proof'),
      path.join(log.dir, 'event-6.json'),
    ]);
    expect(proof.code).toBe(0);
    expect(parseTlogProof(proof.stdout).index).toBe(6);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^proven: event ${event.id} \\(MilestoneProgressReported, progress-0 version 3\\) is at position 6 of ${ORIGIN}, ` +
          `in the checkpoint of size 10 \\(root \\S+\\) signed by ${ORIGIN}\\+[0-9a-f]{8}, no trusted cosignature\\n$`,
      ),
    );
  });

  it('accepts the event formatted another way, and refuses it changed or at another position', async () => {
    const event = JSON.parse(exported[3]);
    await saveProof('event-3.tlog-proof', ['--position', '3']);
    const proofFile = path.join(log.dir, 'event-3.tlog-proof');
    const key = verifierKeyFor(log.logKey);
    const write = async (name: string, value: unknown) => {
      await writeFile(path.join(log.dir, name), JSON.stringify(value, null, 2));
      return path.join(log.dir, name);
    };
    const pretty = await log.cli([
      'verify-proof',
      '--key',
      key,
      proofFile,
      await write('pretty.json', event),
    ]);
    const changed = await log.cli([
      'verify-proof',
      '--key',
      key,
      proofFile,
      await write('changed.json', { ...event, data: { ...event.data, progress: 100 } }),
    ]);
    const moved = await log.cli([
      'verify-proof',
      '--key',
      key,
      proofFile,
      await write('moved.json', JSON.parse(exported[4])),
    ]);
    expect(pretty.code).toBe(0);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(
      /^cuenta verify-proof: the event is not what the log signed at position 3: from its leaf hash the proof leads to root \S+, but the checkpoint signed \S+\n$/,
    );
    expect(moved.code).toBe(1);
    expect(moved.stderr).toBe(
      'cuenta verify-proof: the proof is for position 3 but the event in ' +
        `${path.join(log.dir, 'moved.json')} says position 4\n`,
    );
  });

  it('refuses a proof under another key, and counts cosignatures only by trusted witnesses', async () => {
    const event = JSON.parse(exported[1]);
    await saveProof('event-1.tlog-proof', [event.id]);
    await writeFile(path.join(log.dir, 'event-1.json'), exported[1]);
    const args = [path.join(log.dir, 'event-1.tlog-proof'), path.join(log.dir, 'event-1.json')];
    const stranger = await log.cli([
      'verify-proof',
      '--key',
      verifierKeyFor(generateSignerKey(ORIGIN)),
      ...args,
    ]);
    const quorum = await log.cli([
      'verify-proof',
      '--key',
      verifierKeyFor(log.logKey),
      '--witness-key',
      witnessVerifierKeyFor(log.witnessKey),
      '--min-cosignatures',
      '1',
      ...args,
    ]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain(
      'the proof does not verify: note has no verifiable signatures',
    );
    expect(quorum.code).toBe(1);
    expect(quorum.stderr).toBe(
      'cuenta verify-proof: the proof does not verify: checkpoint has 0 valid witness cosignatures, 1 required\n',
    );
  });

  it('names an unknown event, and refuses an id that is not a UUID', async () => {
    const unknown = await log.cli(['proof', '00000000-0000-4000-8000-000000000000']);
    const notUuid = await log.cli(['proof', 'event-7']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'cuenta proof: no event with id 00000000-0000-4000-8000-000000000000\n',
    );
    expect(notUuid.code).toBe(2);
    expect(notUuid.stderr).toBe(
      'cuenta proof: <event-id> must be a UUID (got "event-7") (see cuenta proof --help)\n',
    );
  });
});

function progressEventLike(i: number) {
  return {
    type: 'MilestoneRescheduled',
    data: { milestoneId: `m-${i}`, dueDate: '2024-06-30' },
    metadata: { actor: { subject: 'planeacion-ana', role: 'steward', agency: 'planeacion' } },
  };
}
