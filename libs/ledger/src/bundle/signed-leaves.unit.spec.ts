import { describe, expect, it } from '@jest/globals';

import { readFixture, readFixtureBytes } from '../../test/support/fixtures.js';
import { toBase64 } from '../encoding/base64.js';
import { canonicalize } from '../jcs/canonicalize.js';
import { InvalidSignatureError } from '../errors.js';
import { HASH_SIZE, leafHashOfText } from '../merkle/hash.js';
import { BundleVerifier, linesOf, verifyBundle } from './bundle-verifier.js';
import { parseBundleKeys, parseManifest } from './layout.js';
import { leafHashesOf } from './leaf-hashes.js';
import { VerificationError, type MismatchLocation } from './verification-error.js';

// The golden v2 bundles (with leaves.bin) in test/fixtures/bundle/v2, one per kind of
// tampering: each must be rejected naming the exact event, line or checkpoint.

const V2 = 'bundle/v2';
const files = (name: string) => ({
  manifest: readFixture(`${V2}/${name}/manifest.json`),
  events: readFixture(`${V2}/${name}/events.jsonl`),
  checkpoints: readFixture(`${V2}/${name}/checkpoints.jsonl`),
  leaves: readFixtureBytes(`${V2}/${name}/leaves.bin`),
});
const keys = parseBundleKeys(readFixture(`${V2}/cartagena-12-events/keys.json`));
const trust = { origin: 'cuenta.test/log', logKey: keys.log, witnessKeys: keys.witnesses };
const id = (position: number) => `6f1c2a3b-4d5e-4f60-8a7b-${String(position).padStart(12, '0')}`;
const original = linesOf(files('cartagena-12-events').events, 'events.jsonl');

type Failure = MismatchLocation & { message: string; cause?: unknown };

/** Runs `f` and returns what the VerificationError it must throw names. */
const failure = (f: () => unknown): Failure => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    const e = error as VerificationError;
    return { ...e.location, message: e.message, cause: e.cause };
  }
  throw new Error('expected a VerificationError');
};

const verifyFixture = (name: string) =>
  failure(() => verifyBundle({ files: files(name), ...trust }));

/**
 * The same bundle through the streaming API, as `cuenta verify` feeds it: event lines in
 * chunks of `chunk` checked against leaves.bin, then the leaf hashes left over.
 */
function verifyInChunks(name: string, chunk: number) {
  const bundle = files(name);
  const manifest = parseManifest(bundle.manifest);
  const verifier = new BundleVerifier({ ...trust, manifest, signedLeaves: true });
  verifier.checkCheckpointLines(bundle.checkpoints);
  const lines = linesOf(bundle.events, 'events.jsonl');
  for (let from = 0; from < lines.length; from += chunk) {
    const slice = lines.slice(from, from + chunk);
    const signedLeaves = bundle.leaves.slice(from * HASH_SIZE, (from + slice.length) * HASH_SIZE);
    let error: MismatchLocation | undefined;
    try {
      leafHashesOf(slice, { firstPosition: from, signedLeaves });
    } catch (caught) {
      error = (caught as VerificationError).location;
    }
    verifier.addEventChunk({ firstPosition: from, lines: slice.length, signedLeaves, error });
    if (error || signedLeaves.length < slice.length * HASH_SIZE) break;
  }
  verifier.addSignedLeaves(bundle.leaves.slice(verifier.size * HASH_SIZE));
  return verifier.finish();
}

const signedLeaf = (position: number) => toBase64(leafHashOfText(original[position]));
const lineHash = (name: string, position: number) =>
  toBase64(leafHashOfText(linesOf(files(name).events, 'events.jsonl')[position]));

describe('a v2 bundle that was not changed', () => {
  it('verifies from leaves.bin, giving the root and counts a v1 verifier gives', () => {
    const summary = verifyBundle({ files: files('cartagena-12-events'), ...trust });
    const v1 = verifyBundle({
      files: {
        manifest: readFixture('bundle/cartagena-12-events/manifest.json'),
        events: readFixture('bundle/cartagena-12-events/events.jsonl'),
        checkpoints: readFixture('bundle/cartagena-12-events/checkpoints.jsonl'),
      },
      ...trust,
    });
    expect(summary).toEqual(v1);
    expect(summary).toMatchObject({ events: 12, checkpoints: 3, cosignatures: 3 });
  });

  it('verifies the same in chunks of any size', () => {
    const whole = verifyBundle({ files: files('cartagena-12-events'), ...trust });
    for (const chunk of [1, 5, 12]) {
      expect(verifyInChunks('cartagena-12-events', chunk)).toEqual(whole);
    }
  });
});

describe('an event changed after signing is named exactly', () => {
  it.each([
    ['changed-byte-event-5', 'one byte (milestone m5 to m6)'],
    ['changed-field-event-5', 'a field changed into other canonical JSON'],
    ['one-checkpoint-changed-event-5', 'a bundle with a single checkpoint'],
  ])('%s: %s', (name) => {
    const expected = {
      file: 'events.jsonl',
      lineNumber: 6,
      position: 5,
      eventId: id(5),
      kind: 'leaf',
      message:
        `event at position 5, id ${id(5)}, events.jsonl line 6: the event differs from the ` +
        `one the log signed at position 5: the line hashes to ${lineHash(name, 5)}, the log's ` +
        `leaf hash there is ${signedLeaf(5)}`,
    };
    expect(verifyFixture(name)).toMatchObject(expected);
    for (const chunk of [1, 4, 12]) {
      expect(failure(() => verifyInChunks(name, chunk))).toMatchObject(expected);
    }
  });

  it('swapped-events-3-4-renumbered: swapped, with positions rewritten to fit, names the first', () => {
    expect(verifyFixture('swapped-events-3-4-renumbered')).toMatchObject({
      lineNumber: 4,
      position: 3,
      eventId: id(4),
      kind: 'leaf',
    });
  });
});

describe('lines that are not the events at their positions are named at once', () => {
  it('deleted-event-5: names the line where event 5 is missing', () => {
    expect(verifyFixture('deleted-event-5')).toMatchObject({
      message: `event at position 5, id ${id(6)}, events.jsonl line 6: envelope says position 6, expected 5`,
    });
  });

  it('swapped-events-3-4: names the first line out of place', () => {
    expect(verifyFixture('swapped-events-3-4')).toMatchObject({
      message: `event at position 3, id ${id(4)}, events.jsonl line 4: envelope says position 4, expected 3`,
    });
  });

  it('truncated-tail-after-10: names the first missing position', () => {
    const expected = {
      message:
        'event at position 10, events.jsonl line 11: events.jsonl ends before this position, ' +
        'but the log signed 12 events: the last 2 are missing',
    };
    expect(verifyFixture('truncated-tail-after-10')).toMatchObject(expected);
    expect(failure(() => verifyInChunks('truncated-tail-after-10', 4))).toMatchObject(expected);
  });
});

describe('an event the log never signed', () => {
  it('added at the end, well formed, is named once leaves.bin is shown to be complete', () => {
    const bundle = files('cartagena-12-events');
    const last = JSON.parse(original[11]) as Record<string, unknown>;
    const extra = canonicalize({ ...last, id: id(12), position: 12, streamVersion: 13 });
    const expected = {
      message:
        `event at position 12, id ${id(12)}, events.jsonl line 13: the log signed no event ` +
        'at this position: leaves.bin has no leaf hash for it',
    };
    expect(
      failure(() =>
        verifyBundle({ files: { ...bundle, events: `${bundle.events}${extra}\n` }, ...trust }),
      ),
    ).toMatchObject(expected);
  });
});

describe('checkpoints and leaves.bin', () => {
  it('forged-signature-checkpoint-9: names the checkpoint whose signature is not the log key', () => {
    const error = verifyFixture('forged-signature-checkpoint-9');
    expect(error).toMatchObject({ file: 'checkpoints.jsonl', lineNumber: 2, checkpointSize: 9 });
    expect(error.cause).toBeInstanceOf(InvalidSignatureError);
  });

  it('altered-leaf-5: leaves.bin changed alone is blamed, not the event it no longer matches', () => {
    const error = verifyFixture('altered-leaf-5');
    expect(error).toMatchObject({ file: 'checkpoints.jsonl', lineNumber: 2, checkpointSize: 9 });
    expect(error.message).toMatch(
      /^checkpoint at size 9, checkpoints\.jsonl line 2: the log signed root \S+ but leaves\.bin gives \S+: leaves\.bin was changed at a position in \[4, 9\)$/,
    );
    expect(failure(() => verifyInChunks('altered-leaf-5', 3)).message).toBe(error.message);
  });

  it('altered-leaf-5-and-event-5: changed together, they are placed between two checkpoints', () => {
    const error = verifyFixture('altered-leaf-5-and-event-5');
    expect(error).toMatchObject({ lineNumber: 2, checkpointSize: 9 });
    expect(error.message).toMatch(
      /the events give \S+, as does leaves\.bin: an event at a position in \[4, 9\) differs from what the log signed$/,
    );
  });

  it('must be in a v2 bundle, in whole 32-byte leaf hashes, one per signed event', () => {
    const bundle = files('cartagena-12-events');
    expect(
      failure(() => verifyBundle({ files: { ...bundle, leaves: undefined }, ...trust })),
    ).toMatchObject({ file: 'leaves.bin', reason: 'missing from the bundle' });
    expect(
      failure(() =>
        verifyBundle({ files: { ...bundle, leaves: bundle.leaves.slice(1) }, ...trust }),
      ),
    ).toMatchObject({
      file: 'leaves.bin',
      reason: '383 bytes, not a whole number of 32-byte leaf hashes',
    });
    expect(
      failure(() =>
        verifyBundle({ files: { ...bundle, leaves: bundle.leaves.slice(32) }, ...trust }),
      ),
    ).toMatchObject({ file: 'checkpoints.jsonl', checkpointSize: 4 });
    expect(
      failure(() =>
        verifyBundle({ files: { ...bundle, leaves: bundle.leaves.slice(0, 11 * 32) }, ...trust }),
      ),
    ).toMatchObject({ checkpointSize: 12, reason: 'leaves.bin has only 11 leaf hashes' });
  });
});
