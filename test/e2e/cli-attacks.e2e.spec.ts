import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import {
  canonicalize,
  formatCheckpointRecord,
  generateSignerKey,
  leafHashOfText,
  toBase64,
  signNote,
  verifierKeyFor,
} from '#ledger';
import { createTestLog, jsonLines, progressEvent, tamper, type TestLog } from './cli-harness.js';

// Each attack starts from its own log of 40 events in 8 appends, with a checkpoint signed
// after every second append (sizes 10, 20, 30, 40), changes it the way a superuser of the
// database, or whoever holds an export, could, and expects `cuenta verify` to name the place.

let log: TestLog;

afterEach(async () => {
  await log?.close();
});

async function seed(): Promise<TestLog> {
  log = await createTestLog({ appends: 8, perAppend: 5, checkpointEvery: 2 });
  return log;
}

/** Exports the log and verifies the export with the pinned log key. */
async function exportAndVerify(name: string, verifyArgs: string[] = []) {
  const dir = path.join(log.dir, name);
  const exported = await log.cli(['export', dir]);
  const verified = await log.cli([
    'verify',
    dir,
    '--key',
    verifierKeyFor(log.logKey),
    ...verifyArgs,
  ]);
  return { dir, exported, verified };
}

const eventAt = async (position: number) =>
  (await log.store.readAll({ from: position, limit: 1, raw: true }))[0];

describe('an attacker with the database', () => {
  it('changes one byte of an event: export and verify name the event', async () => {
    await seed();
    const before = await eventAt(13);
    await tamper(log, [
      `UPDATE events.events SET data = jsonb_set(data, '{progress}', '14') WHERE global_position = 13`,
    ]);
    const { dir, exported, verified } = await exportAndVerify('one-byte');
    expect(canonicalize((await eventAt(13)).data).length).toBe(canonicalize(before.data).length);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(
      new RegExp(
        `^cuenta export: the database does not match the tree it stored: the event at position 13 \\(id ${before.id}\\) hashes to \\S+ but was appended with leaf hash \\S+; the bundle holds`,
      ),
    );
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(
      new RegExp(
        `^cuenta verify: ${dir} does not verify: event at position 13, id ${before.id}, events.jsonl line 14: ` +
          "the event differs from the one the log signed at position 13: the line hashes to \\S+, the log's leaf hash there is \\S+\\n$",
      ),
    );
  });

  it('deletes an event: verify names the line where the positions stop matching', async () => {
    await seed();
    const next = await eventAt(14);
    await tamper(log, ['DELETE FROM events.events WHERE global_position = 13']);
    const { dir, exported, verified } = await exportAndVerify('deleted');
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain(
      `position 13 is missing: the next event in the database is at 14 (id ${next.id})`,
    );
    expect(verified.code).toBe(1);
    expect(verified.stderr).toBe(
      `cuenta verify: ${dir} does not verify: event at position 13, id ${next.id}, events.jsonl line 14: ` +
        'envelope says position 14, expected 13\n',
    );
  });

  it("swaps two events' data: verify names the first of them", async () => {
    await seed();
    await tamper(log, [
      `UPDATE events.events e SET data = o.data FROM events.events o
        WHERE (e.global_position, o.global_position) IN ((21, 34), (34, 21))`,
    ]);
    const { dir, verified } = await exportAndVerify('swapped');
    expect((await eventAt(21)).data).toMatchObject({
      note: 'Avance reportado en la mesa territorial 34',
    });
    expect(verified.code).toBe(1);
    expect(verified.stderr).toContain(
      `${dir} does not verify: event at position 21, id ${(await eventAt(21)).id}, events.jsonl line 22: ` +
        'the event differs from the one the log signed at position 21',
    );
  });

  it('truncates the tail and appends other events: the old checkpoints no longer match', async () => {
    await seed();
    await tamper(log, [
      'DELETE FROM events.events WHERE global_position >= 25',
      'UPDATE events.log_head SET size = 25',
    ]);
    const rewriter = await PostgresEventStore.open({ connectionString: log.database.url });
    try {
      for (let i = 0; i < 4; i++) {
        await rewriter.append(
          'progress-rewritten',
          Array.from({ length: 5 }, (_, k) => progressEvent(100 + 5 * i + k, 'Otra historia')),
          'any',
        );
      }
    } finally {
      await rewriter.close();
    }
    const { dir, exported, verified } = await exportAndVerify('rewritten');
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain(
      'the database does not match the tree it stored: the checkpoint of size 30 signed root',
    );
    expect(exported.stdout).toContain('signed now');
    expect(verified.code).toBe(1);
    // The stored leaf hashes were rewritten with the events: only the checkpoint places it.
    expect(verified.stderr).toContain(
      `${dir} does not verify: checkpoint at size 30, checkpoints.jsonl line 3: the log signed root`,
    );
    expect(verified.stderr).toContain(
      'as does leaves.bin: an event at a position in [20, 30) differs',
    );
  });
});

describe('an attacker with an export', () => {
  async function exported(name: string) {
    await seed();
    const dir = path.join(log.dir, name);
    await log.cli(['export', dir]);
    const events = path.join(dir, 'events.jsonl');
    const checkpoints = path.join(dir, 'checkpoints.jsonl');
    return {
      dir,
      events: { file: events, lines: jsonLines(await readFile(events, 'utf8')) },
      checkpoints: { file: checkpoints, lines: jsonLines(await readFile(checkpoints, 'utf8')) },
    };
  }
  const save = (file: string, lines: string[]) =>
    writeFile(file, lines.map((l) => `${l}\n`).join(''));
  const verify = (dir: string, args: string[] = []) =>
    log.cli(['verify', dir, '--key', verifierKeyFor(log.logKey), ...args]);

  it('forges a checkpoint signature: verify names the checkpoint and the key', async () => {
    const { dir, checkpoints } = await exported('forged-signature');
    const record = JSON.parse(checkpoints.lines[1]) as { size: number; note: string };
    const body = record.note.slice(0, record.note.indexOf('\n\n') + 1);
    const forged = body.replace(/\n(\S+)\n$/, '\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
    const signatureLines = record.note.slice(record.note.indexOf('\n\n') + 1);
    checkpoints.lines[1] = formatCheckpointRecord({ size: 20, note: forged + signatureLines });
    await save(checkpoints.file, checkpoints.lines);
    const { code, stderr } = await verify(dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^cuenta verify: ${dir} does not verify: checkpoint at size 20, checkpoints.jsonl line 2: ` +
          'invalid signature for key cuenta.example/cartagena\\+[0-9a-f]{8}\\n$',
      ),
    );
  });

  it('signs a checkpoint with a key of its own named after the log: verify finds no valid signature', async () => {
    const { dir, checkpoints } = await exported('forged-key');
    const record = JSON.parse(checkpoints.lines[2]) as { size: number; note: string };
    const body = record.note.slice(0, record.note.indexOf('\n\n') + 1);
    checkpoints.lines[2] = formatCheckpointRecord({
      size: 30,
      note: signNote(body, [generateSignerKey('cuenta.example/cartagena')]),
    });
    await save(checkpoints.file, checkpoints.lines);
    const { code, stderr } = await verify(dir);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${dir} does not verify: checkpoint at size 30, checkpoints.jsonl line 3: note has no verifiable signatures (signed by unknown keys cuenta.example/cartagena+`,
    );
  });

  it('edits one line into another canonical event: verify names the event, with or without workers', async () => {
    const { dir, events } = await exported('edited-value');
    const signed = events.lines[7];
    events.lines[7] = events.lines[7].replace('"progress":7', '"progress":70');
    await save(events.file, events.lines);
    const one = await verify(dir, ['--workers', '0']);
    const workers = await verify(dir, ['--workers', '2', '--chunk-bytes', '4096']);
    const expected =
      `cuenta verify: ${dir} does not verify: event at position 7, id ${JSON.parse(signed).id}, ` +
      'events.jsonl line 8: the event differs from the one the log signed at position 7: ' +
      `the line hashes to ${toBase64(leafHashOfText(events.lines[7]))}, ` +
      `the log's leaf hash there is ${toBase64(leafHashOfText(signed))}\n`;
    expect([one.code, workers.code]).toEqual([1, 1]);
    expect(one.stderr).toBe(expected);
    expect(workers.stderr).toBe(expected);
  });

  it('edits leaves.bin: verify blames leaves.bin, not the event it no longer matches', async () => {
    const { dir, events } = await exported('edited-leaves');
    const leaves = path.join(dir, 'leaves.bin');
    const bytes = await readFile(leaves);
    bytes[32 * 25] ^= 1;
    await writeFile(leaves, bytes);
    const { code, stderr } = await verify(dir, ['--workers', '2', '--chunk-bytes', '4096']);
    expect(events.lines).toHaveLength(40);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^cuenta verify: ${dir} does not verify: checkpoint at size 30, checkpoints.jsonl line 3: ` +
          'the log signed root \\S+ but leaves.bin gives \\S+: leaves.bin was changed at a position in \\[20, 30\\)\\n$',
      ),
    );
  });

  it('edits one line so it is no longer canonical: verify names the line, position and id', async () => {
    const { dir, events } = await exported('edited-format');
    const id = JSON.parse(events.lines[7]).id;
    events.lines[7] = events.lines[7].replace(/^\{/, '{ ');
    await save(events.file, events.lines);
    const one = await verify(dir, ['--workers', '0']);
    const workers = await verify(dir, ['--workers', '2', '--chunk-bytes', '4096']);
    const expected =
      `cuenta verify: ${dir} does not verify: event at position 7, id ${id}, events.jsonl line 8: ` +
      'the line is not RFC 8785 canonical JSON\n';
    expect([one.code, workers.code]).toEqual([1, 1]);
    expect(one.stderr).toBe(expected);
    expect(workers.stderr).toBe(expected);
  });

  it('breaks two lines in different chunks: the workers report the first one in the file', async () => {
    const { dir, events } = await exported('two-breaks');
    // About 11 lines per 4096-byte chunk: these are two chunks apart, on different workers.
    events.lines[13] = '{"not":"an event"}';
    events.lines[35] = 'garbage';
    await save(events.file, events.lines);
    const { code, stderr } = await verify(dir, ['--workers', '2', '--chunk-bytes', '4096']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `cuenta verify: ${dir} does not verify: event at position 13, events.jsonl line 14: ` +
        'invalid event envelope at /not: unknown member\n',
    );
  });

  it('removes a line, or adds one at the end: verify names where', async () => {
    const { dir, events } = await exported('removed-added');
    const removed = [...events.lines.slice(0, 12), ...events.lines.slice(13)];
    await save(events.file, removed);
    const afterRemoval = await verify(dir);
    await save(events.file, [...events.lines, events.lines[39]]);
    const afterAddition = await verify(dir);
    expect(afterRemoval.code).toBe(1);
    expect(afterRemoval.stderr).toContain(
      'events.jsonl line 13: envelope says position 13, expected 12',
    );
    expect(afterAddition.code).toBe(1);
    expect(afterAddition.stderr).toContain(
      'event at position 40, id ' +
        JSON.parse(events.lines[39]).id +
        ', events.jsonl line 41: envelope says position 39, expected 40',
    );
  });

  it('cuts the file off in the middle of a line: verify names the unfinished line', async () => {
    const { dir, events } = await exported('cut-off');
    const text = events.lines.map((l) => `${l}\n`).join('');
    await writeFile(events.file, text.slice(0, text.length - 100));
    const { code, stderr } = await verify(dir, ['--workers', '2', '--chunk-bytes', '4096']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `cuenta verify: ${dir} does not verify: event at position 39, events.jsonl line 40: ` +
        'the last line does not end with a newline\n',
    );
  });
});
