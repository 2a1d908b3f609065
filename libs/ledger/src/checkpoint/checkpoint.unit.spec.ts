import { describe, expect, it } from '@jest/globals';

import { b64, readFixture, toHex } from '../../test/support/fixtures.js';
import {
  InvalidArgumentError,
  InvalidSignatureError,
  MalformedCheckpointError,
  OriginMismatchError,
  UnverifiedNoteError,
} from '../errors.js';
import { signNote } from '../note/note.js';
import { formatCheckpoint, openCheckpoint, parseCheckpoint } from './checkpoint.js';

const line = (path: string) => readFixture(path).trimEnd();
const LOG_SKEY = line('checkpoint/test-log.skey');
const LOG_VKEY = line('checkpoint/test-log.vkey');
const DEFENSORIA = line('checkpoint/witness-defensoria.vkey');
const CONTRALORIA = line('checkpoint/witness-contraloria.vkey');
const COSIGNED = readFixture('checkpoint/size-8-cosigned.checkpoint');
const ROOT_8 = '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328';
const BODY = 'cuenta.test/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('formatCheckpoint', () => {
  it('writes origin, decimal size and base64 root, one per line', () => {
    expect(
      formatCheckpoint({
        origin: 'cuenta.test/log',
        size: 8,
        rootHash: b64('XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg='),
      }),
    ).toBe(BODY);
  });

  it('writes the C2SP example checkpoint exactly', () => {
    expect(
      formatCheckpoint({
        origin: 'example.com/behind-the-sofa',
        size: 20852163,
        rootHash: b64('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='),
      }),
    ).toBe('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
  });

  it('appends extension lines and writes size 0', () => {
    expect(
      formatCheckpoint({
        origin: 'o',
        size: 0,
        rootHash: new Uint8Array(32),
        extensions: ['ext one', 'ext two'],
      }),
    ).toBe('o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\next one\next two\n');
  });

  it.each([
    ['an empty origin', { origin: '', size: 1, rootHash: new Uint8Array(32) }],
    ['an origin with a newline', { origin: 'a\nb', size: 1, rootHash: new Uint8Array(32) }],
    ['a negative size', { origin: 'o', size: -1, rootHash: new Uint8Array(32) }],
    ['a fractional size', { origin: 'o', size: 1.5, rootHash: new Uint8Array(32) }],
    ['a short root', { origin: 'o', size: 1, rootHash: new Uint8Array(31) }],
    [
      'an empty extension',
      { origin: 'o', size: 1, rootHash: new Uint8Array(32), extensions: [''] },
    ],
  ])('refuses %s', (_what, checkpoint) => {
    expect(() => formatCheckpoint(checkpoint)).toThrow(InvalidArgumentError);
  });
});

describe('parseCheckpoint', () => {
  it('parses what formatCheckpoint writes', () => {
    const parsed = parseCheckpoint(BODY);
    expect(parsed.origin).toBe('cuenta.test/log');
    expect(parsed.size).toBe(8);
    expect(toHex(parsed.rootHash)).toBe(ROOT_8);
    expect(parsed.extensions).toBeUndefined();
    expect(
      parseCheckpoint('o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nx\n').extensions,
    ).toEqual(['x']);
  });

  it('accepts sizes up to 2^53 - 1', () => {
    expect(parseCheckpoint(`o\n9007199254740991\n${'A'.repeat(43)}=\n`).size).toBe(2 ** 53 - 1);
  });

  it.each([
    ['no final newline', 'o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg='],
    ['two lines', 'o\n8\n'],
    ['an empty origin', '\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'],
    ['a leading zero', 'o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'],
    ['a plus sign', 'o\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'],
    ['a hex size', 'o\n0x8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'],
    ['a size beyond 2^53 - 1', `o\n9007199254740992\n${'A'.repeat(43)}=\n`],
    ['a 31-byte root', `o\n8\n${'A'.repeat(40)}AA=\n`],
    ['a 33-byte root', `o\n8\n${'A'.repeat(44)}\n`],
    ['URL-safe base64', 'o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n'],
    ['an empty extension line', 'o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n'],
  ])('refuses %s', (_what, text) => {
    expect(thrown(() => parseCheckpoint(text))).toBeInstanceOf(MalformedCheckpointError);
  });
});

describe('openCheckpoint', () => {
  it('opens the golden cosigned checkpoint with the log key and both witnesses', () => {
    const opened = openCheckpoint({
      note: COSIGNED,
      origin: 'cuenta.test/log',
      logKey: LOG_VKEY,
      witnessKeys: [DEFENSORIA, CONTRALORIA],
    });
    expect(opened.body).toBe(BODY);
    expect(opened.checkpoint.size).toBe(8);
    expect(toHex(opened.checkpoint.rootHash)).toBe(ROOT_8);
    expect(opened.cosignatures.map((c) => [c.name, c.timestamp])).toEqual([
      ['witness.test/defensoria', 1700000000],
      ['witness.test/contraloria', 1700000042],
    ]);
  });

  it('is reproduced byte for byte by signing the body again', () => {
    expect(COSIGNED.startsWith(signNote(BODY, [LOG_SKEY]))).toBe(true);
  });

  it('ignores cosignatures of witnesses it does not know', () => {
    const opened = openCheckpoint({ note: COSIGNED, origin: 'cuenta.test/log', logKey: LOG_VKEY });
    expect(opened.cosignatures).toEqual([]);
    expect(opened.note.unverified.map((s) => s.name)).toEqual([
      'witness.test/defensoria',
      'witness.test/contraloria',
    ]);
  });

  it('requires the log signature even when a witness signature verifies', () => {
    const witnessOnly = COSIGNED.replace(/— cuenta\.test\/log .*\n/, '');
    const error = thrown(() =>
      openCheckpoint({
        note: witnessOnly,
        origin: 'cuenta.test/log',
        logKey: LOG_VKEY,
        witnessKeys: [DEFENSORIA],
      }),
    );
    expect(error).toBeInstanceOf(UnverifiedNoteError);
  });

  it('rejects another origin', () => {
    const error = thrown(() =>
      openCheckpoint({ note: COSIGNED, origin: 'cuenta.other/log', logKey: LOG_VKEY }),
    );
    expect(error).toBeInstanceOf(OriginMismatchError);
    expect((error as OriginMismatchError).actual).toBe('cuenta.test/log');
  });

  it('rejects a changed root', () => {
    const forged = COSIGNED.replace('XcnaeacGWamt', 'XcnaeacGWamu');
    expect(
      thrown(() => openCheckpoint({ note: forged, origin: 'cuenta.test/log', logKey: LOG_VKEY })),
    ).toBeInstanceOf(InvalidSignatureError);
  });

  it('rejects a witness key used as the log key', () => {
    expect(() =>
      openCheckpoint({ note: COSIGNED, origin: 'cuenta.test/log', logKey: DEFENSORIA }),
    ).toThrow(InvalidArgumentError);
  });

  it('rejects a signed note that is not a checkpoint', () => {
    const note = signNote('hello\n', [LOG_SKEY]);
    expect(
      thrown(() => openCheckpoint({ note, origin: 'cuenta.test/log', logKey: LOG_VKEY })),
    ).toBeInstanceOf(MalformedCheckpointError);
  });
});
