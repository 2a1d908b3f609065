import { describe, expect, it } from '@jest/globals';

import { readFixture, toHex } from '../../test/support/fixtures.js';
import { formatCheckpoint, parseCheckpoint } from '../checkpoint/checkpoint.js';
import { utf8 } from '../encoding/bytes.js';
import {
  CanonicalizationError,
  InvalidArgumentError,
  InvalidEnvelopeError,
  InvalidSignatureError,
  UnverifiedNoteError,
} from '../errors.js';
import { leafHash } from '../merkle/hash.js';
import { generateSignerKey, verifierKeyFor } from '../note/keys.js';
import { openNote, signNote } from '../note/note.js';
import { BundleVerifier, linesOf, verifyBundle } from './bundle-verifier.js';
import {
  BUNDLE_FORMAT_V1,
  formatCheckpointRecord,
  parseBundleKeys,
  parseCheckpointRecord,
  parseManifest,
} from './layout.js';
import { eventLineLeafHash, leafHashesOf } from './leaf-hashes.js';
import { VerificationError, type MismatchLocation } from './verification-error.js';

const BUNDLE = 'bundle/cartagena-12-events';
const files = (dir = BUNDLE) => ({
  manifest: readFixture(`${dir}/manifest.json`),
  events: readFixture(`${dir}/events.jsonl`),
  checkpoints: readFixture(`${dir}/checkpoints.jsonl`),
});
const keys = parseBundleKeys(readFixture(`${BUNDLE}/keys.json`));
const LOG_SKEY = readFixture('checkpoint/test-log.skey').trimEnd();
const trust = { origin: 'cuenta.test/log', logKey: keys.log, witnessKeys: keys.witnesses };
const eventLines = () => linesOf(files().events, 'events.jsonl');
const checkpointLines = () => linesOf(files().checkpoints, 'checkpoints.jsonl');
const jsonl = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

/** Runs `f` and returns the location of the VerificationError it must throw. */
const mismatch = (f: () => unknown): MismatchLocation & { cause?: unknown; message: string } => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    const e = error as VerificationError;
    expect(e.code).toBe('LEDGER_MISMATCH');
    return { ...e.location, cause: e.cause, message: e.message };
  }
  throw new Error('expected a VerificationError');
};

const verifyWith = (overrides: { events?: string[]; checkpoints?: string[]; manifest?: object }) =>
  verifyBundle({
    files: {
      manifest: overrides.manifest ? JSON.stringify(overrides.manifest) : files().manifest,
      events: overrides.events ? jsonl(overrides.events) : files().events,
      checkpoints: overrides.checkpoints ? jsonl(overrides.checkpoints) : files().checkpoints,
    },
    ...trust,
  });

describe('a valid bundle', () => {
  it('verifies, recomputing all 12 leaves, 3 checkpoints and 3 cosignatures', () => {
    const summary = verifyBundle({ files: files(), ...trust });
    expect(summary).toMatchObject({ events: 12, checkpoints: 3, cosignatures: 3 });
    const last = checkpointLines().at(-1) ?? '';
    const body = openNote(parseCheckpointRecord(last, 3).note, [keys.log]).text;
    expect(toHex(summary.root)).toBe(toHex(parseCheckpoint(body).rootHash));
  });

  it('verifies the same when leaves are hashed in chunks elsewhere (worker path)', () => {
    const verifier = new BundleVerifier(trust);
    checkpointLines().forEach((line, i) =>
      verifier.checkCheckpoint(parseCheckpointRecord(line, i + 1).note, { lineNumber: i + 1 }),
    );
    const lines = eventLines();
    for (const [from, to] of [
      [0, 5],
      [5, 10],
      [10, 12],
    ]) {
      verifier.addLeafHashes({
        firstPosition: from,
        hashes: leafHashesOf(lines.slice(from, to), { firstPosition: from }),
      });
    }
    expect(verifier.finish()).toEqual(verifyBundle({ files: files(), ...trust }));
  });

  it('accepts leaf hashes one by one', () => {
    const verifier = new BundleVerifier(trust);
    checkpointLines().forEach((line) =>
      verifier.checkCheckpoint(parseCheckpointRecord(line, 1).note),
    );
    eventLines().forEach((line, position) =>
      verifier.addLeafHash({ position, leafHash: leafHash(utf8(line)) }),
    );
    expect(verifier.finish().events).toBe(12);
  });

  it('requires the cosignature quorum it is given', () => {
    const error = mismatch(() => verifyBundle({ files: files(), ...trust, minCosignatures: 1 }));
    expect(error).toMatchObject({ file: 'checkpoints.jsonl', lineNumber: 1, checkpointSize: 4 });
  });
});

describe('an event changed after signing', () => {
  it('fails at the first checkpoint covering it, naming the range the event is in', () => {
    const error = mismatch(() =>
      verifyBundle({ files: files('bundle/tampered-event-5-due-date'), ...trust }),
    );
    expect(error).toMatchObject({ file: 'checkpoints.jsonl', lineNumber: 2, checkpointSize: 9 });
    expect(error.reason).toContain('[4, 9)');
  });

  it('is caught the same way through the streaming API', () => {
    const tampered = files('bundle/tampered-event-5-due-date');
    const verifier = new BundleVerifier(trust);
    linesOf(tampered.checkpoints, 'checkpoints.jsonl').forEach((line, i) =>
      verifier.checkCheckpoint(parseCheckpointRecord(line, i + 1).note, { lineNumber: i + 1 }),
    );
    const lines = linesOf(tampered.events, 'events.jsonl');
    for (let i = 0; i < 8; i++) verifier.addEventLine(lines[i], i + 1);
    expect(verifier.size).toBe(8);
    expect(mismatch(() => verifier.addEventLine(lines[8], 9)).checkpointSize).toBe(9);
  });
});

describe('a bad events.jsonl line is named by line, position and id', () => {
  it('invalid JSON', () => {
    const lines = eventLines();
    lines[6] = lines[6].slice(0, -1);
    expect(mismatch(() => verifyWith({ events: lines }))).toMatchObject({
      file: 'events.jsonl',
      lineNumber: 7,
      position: 6,
      reason: 'not valid JSON',
    });
  });

  it('JSON that is not canonical (reordered members)', () => {
    const lines = eventLines();
    const value = JSON.parse(lines[2]) as Record<string, unknown>;
    lines[2] = JSON.stringify({ type: value.type, ...value });
    expect(mismatch(() => verifyWith({ events: lines }))).toMatchObject({
      lineNumber: 3,
      position: 2,
      eventId: '6f1c2a3b-4d5e-4f60-8a7b-000000000002',
      reason: 'the line is not RFC 8785 canonical JSON',
    });
  });

  it('JSON that is not canonical (whitespace, or a CRLF line ending)', () => {
    const spaced = eventLines();
    spaced[0] = spaced[0].replace('{"data":', '{ "data":');
    expect(mismatch(() => verifyWith({ events: spaced })).lineNumber).toBe(1);
    const crlf = eventLines();
    crlf[4] = `${crlf[4]}\r`;
    expect(mismatch(() => verifyWith({ events: crlf })).lineNumber).toBe(5);
  });

  it('JSON that is not canonical (a member twice, JSON.parse keeping the last)', () => {
    const lines = eventLines();
    lines[3] = lines[3].replace('{"data":{', '{"data":{"a":1,"a":1,');
    expect(mismatch(() => verifyWith({ events: lines }))).toMatchObject({
      lineNumber: 4,
      reason: 'the line is not RFC 8785 canonical JSON',
    });
  });

  it('a string with a lone surrogate, keeping the typed cause', () => {
    const lines = eventLines();
    lines[3] = lines[3].replace('{"data":{', '{"data":{"a":"\\ud800",');
    const error = mismatch(() => verifyWith({ events: lines }));
    expect(error).toMatchObject({ lineNumber: 4, eventId: '6f1c2a3b-4d5e-4f60-8a7b-000000000003' });
    expect(error.cause).toBeInstanceOf(CanonicalizationError);
  });

  it('two events swapped', () => {
    const lines = eventLines();
    [lines[3], lines[4]] = [lines[4], lines[3]];
    expect(mismatch(() => verifyWith({ events: lines }))).toMatchObject({
      lineNumber: 4,
      position: 3,
      eventId: '6f1c2a3b-4d5e-4f60-8a7b-000000000004',
      reason: 'envelope says position 4, expected 3',
    });
  });

  it('an event removed', () => {
    const lines = eventLines();
    lines.splice(5, 1);
    expect(mismatch(() => verifyWith({ events: lines }))).toMatchObject({
      lineNumber: 6,
      position: 5,
      eventId: '6f1c2a3b-4d5e-4f60-8a7b-000000000006',
    });
  });

  it('an envelope of the wrong shape, keeping the typed cause', () => {
    const lines = eventLines();
    const value = JSON.parse(lines[1]) as Record<string, unknown>;
    lines[1] = JSON.stringify({ ...value, ip: '10.0.0.1' });
    const error = mismatch(() => verifyWith({ events: lines }));
    expect(error).toMatchObject({ lineNumber: 2, eventId: '6f1c2a3b-4d5e-4f60-8a7b-000000000001' });
    expect(error.cause).toBeInstanceOf(InvalidEnvelopeError);
  });

  it('a file whose last line does not end in a newline', () => {
    const text = files().events.slice(0, -1);
    expect(() => linesOf(text, 'events.jsonl')).toThrow(VerificationError);
  });
});

describe('checkpoints', () => {
  it('must be signed by the trusted log key', () => {
    const error = mismatch(() =>
      verifyBundle({
        files: files(),
        ...trust,
        logKey: verifierKeyFor(generateSignerKey('cuenta.test/log')),
      }),
    );
    expect(error).toMatchObject({ file: 'checkpoints.jsonl', lineNumber: 1 });
    expect(error.cause).toBeInstanceOf(UnverifiedNoteError);
  });

  it('refuse a witness key configured as the log key', () => {
    expect(() => new BundleVerifier({ ...trust, logKey: keys.witnesses[0] })).toThrow(
      InvalidArgumentError,
    );
  });

  it('must carry valid cosignatures from known witnesses', () => {
    const lines = checkpointLines();
    const record = parseCheckpointRecord(lines[2], 3);
    const sigLines = record.note.split('\n');
    // Flip a character inside the first witness signature (third from the end: after the log's).
    const witnessLine = sigLines[sigLines.length - 3];
    sigLines[sigLines.length - 3] =
      witnessLine.slice(0, 40) + (witnessLine[40] === 'A' ? 'B' : 'A') + witnessLine.slice(41);
    lines[2] = formatCheckpointRecord({ size: record.size, note: sigLines.join('\n') });
    const error = mismatch(() => verifyWith({ checkpoints: lines }));
    expect(error).toMatchObject({ lineNumber: 3 });
    expect(error.cause).toBeInstanceOf(InvalidSignatureError);
  });

  it('must be for the trusted origin', () => {
    const error = mismatch(() =>
      verifyBundle({ files: files(), ...trust, origin: 'cuenta.other/log' }),
    );
    expect(error.reason).toContain('cuenta.other/log');
  });

  it('detect a split view: the log signed another tree at the same size', () => {
    const lines = checkpointLines();
    const fork = signNote(
      formatCheckpoint({
        origin: 'cuenta.test/log',
        size: 9,
        rootHash: new Uint8Array(32).fill(7),
      }),
      [LOG_SKEY],
    );
    lines[1] = formatCheckpointRecord({ size: 9, note: fork });
    expect(mismatch(() => verifyWith({ checkpoints: lines }))).toMatchObject({
      lineNumber: 2,
      checkpointSize: 9,
    });
  });

  it('must all be reached by the events', () => {
    const error = mismatch(() =>
      verifyWith({
        events: eventLines().slice(0, 10),
        manifest: { ...JSON.parse(files().manifest), events: 10 },
      }),
    );
    expect(error).toMatchObject({ checkpointSize: 12, lineNumber: 3 });
    expect(error.reason).toBe('the bundle has only 10 events');
  });

  it('must cover every event', () => {
    const error = mismatch(() =>
      verifyWith({
        checkpoints: checkpointLines().slice(0, 2),
        manifest: { ...JSON.parse(files().manifest), checkpoints: 2 },
      }),
    );
    expect(error).toMatchObject({ file: 'events.jsonl', position: 9, lineNumber: 10 });
  });

  it('must exist', () => {
    const verifier = new BundleVerifier(trust);
    expect(mismatch(() => verifier.finish()).reason).toBe('the bundle has no checkpoint');
  });

  it('must come in increasing size and match the size their record claims', () => {
    const lines = checkpointLines();
    expect(
      mismatch(() => verifyWith({ checkpoints: [lines[1], lines[0], lines[2]] })),
    ).toMatchObject({
      lineNumber: 2,
      checkpointSize: 4,
    });
    const record = parseCheckpointRecord(lines[0], 1);
    const wrongSize = formatCheckpointRecord({ size: 5, note: record.note });
    expect(
      mismatch(() => verifyWith({ checkpoints: [wrongSize, lines[1], lines[2]] })),
    ).toMatchObject({
      lineNumber: 1,
      checkpointSize: 4,
    });
  });

  it('must be given before the tree passes their size', () => {
    const verifier = new BundleVerifier(trust);
    eventLines()
      .slice(0, 5)
      .forEach((line) => verifier.addEventLine(line));
    expect(() =>
      verifier.checkCheckpoint(parseCheckpointRecord(checkpointLines()[0], 1).note),
    ).toThrow(InvalidArgumentError);
  });

  it('may be for the empty tree', () => {
    const empty = signNote(
      formatCheckpoint({
        origin: 'cuenta.test/log',
        size: 0,
        rootHash: Uint8Array.from(
          Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'),
        ),
      }),
      [LOG_SKEY],
    );
    const verifier = new BundleVerifier(trust);
    verifier.checkCheckpoint(empty);
    expect(verifier.finish()).toMatchObject({ events: 0, checkpoints: 1 });
  });
});

describe('the manifest', () => {
  it('must agree with the files', () => {
    const manifest = JSON.parse(files().manifest) as Record<string, unknown>;
    expect(mismatch(() => verifyWith({ manifest: { ...manifest, events: 13 } }))).toMatchObject({
      file: 'manifest.json',
    });
    expect(mismatch(() => verifyWith({ manifest: { ...manifest, checkpoints: 4 } })).file).toBe(
      'manifest.json',
    );
    expect(mismatch(() => verifyWith({ manifest: { ...manifest, origin: 'x' } })).file).toBe(
      'manifest.json',
    );
  });

  it('is parsed strictly', () => {
    const valid = JSON.parse(files().manifest) as Record<string, unknown>;
    expect(parseManifest(files().manifest)).toEqual({
      format: BUNDLE_FORMAT_V1,
      origin: 'cuenta.test/log',
      events: 12,
      checkpoints: 3,
      exportedAt: '2023-01-20T00:00:00.000Z',
    });
    for (const bad of [
      'not json',
      '[]',
      JSON.stringify({ ...valid, format: 'other/v1' }),
      JSON.stringify({ ...valid, events: -1 }),
      JSON.stringify({ ...valid, origin: '' }),
      JSON.stringify({ ...valid, exportedAt: 1 }),
    ]) {
      expect(mismatch(() => parseManifest(bad)).file).toBe('manifest.json');
    }
  });
});

describe('layout helpers', () => {
  it('parse keys.json and refuse other shapes', () => {
    expect(keys.witnesses).toHaveLength(2);
    expect(mismatch(() => parseBundleKeys('{"log":1,"witnesses":[]}')).file).toBe('keys.json');
    expect(mismatch(() => parseBundleKeys('{"log":"x","witnesses":[1]}')).file).toBe('keys.json');
  });

  it('round-trip checkpoint records and refuse bad ones with their line number', () => {
    const record = { size: 3, note: 'a\n\nb\n' };
    expect(parseCheckpointRecord(formatCheckpointRecord(record), 1)).toEqual(record);
    expect(mismatch(() => parseCheckpointRecord('{', 4))).toMatchObject({ lineNumber: 4 });
    expect(mismatch(() => parseCheckpointRecord('{"size":-1,"note":""}', 5))).toMatchObject({
      lineNumber: 5,
    });
  });

  it('hash chunks of lines to the concatenated leaf hashes, numbering lines from the chunk', () => {
    const lines = eventLines().slice(4, 7);
    const hashes = leafHashesOf(lines, { firstPosition: 4 });
    expect(hashes).toHaveLength(96);
    lines.forEach((line, i) =>
      expect(toHex(hashes.subarray(32 * i, 32 * i + 32))).toBe(toHex(leafHash(utf8(line)))),
    );
    expect(
      mismatch(() => leafHashesOf(lines, { firstPosition: 5, firstLineNumber: 100 })),
    ).toMatchObject({
      lineNumber: 100,
      position: 5,
    });
  });

  it('hash a line given as bytes as they are, the same as its text', () => {
    const line = eventLines()[0];
    const args = { line, position: 0, lineNumber: 1 };
    const fromText = eventLineLeafHash(args);
    expect(toHex(eventLineLeafHash({ ...args, bytes: utf8(line) }))).toBe(toHex(fromText));
    expect(toHex(fromText)).toBe(toHex(leafHash(utf8(line))));
  });

  it('hash a canonical line whose integer-like member names JSON.parse enumerates in another order', () => {
    const line = eventLines()[0].replace('{"data":{', '{"data":{"10":1,"9":2,');
    expect(toHex(leafHashesOf([line], { firstPosition: 0 }))).toBe(toHex(leafHash(utf8(line))));
    const numeric = eventLines()[0].replace('{"data":{', '{"data":{"9":2,"10":1,');
    expect(mismatch(() => leafHashesOf([numeric], { firstPosition: 0 })).reason).toBe(
      'the line is not RFC 8785 canonical JSON',
    );
  });

  it('refuse leaf hashes out of order or of the wrong length', () => {
    const verifier = new BundleVerifier(trust);
    expect(
      mismatch(() => verifier.addLeafHash({ position: 1, leafHash: new Uint8Array(32) })),
    ).toMatchObject({ position: 1 });
    expect(() => verifier.addLeafHashes({ firstPosition: 0, hashes: new Uint8Array(33) })).toThrow(
      InvalidArgumentError,
    );
  });
});
