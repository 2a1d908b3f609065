import { describe, expect, it } from '@jest/globals';

import { readFixture } from '../../test/support/fixtures.js';
import {
  InvalidKeyError,
  InvalidSignatureError,
  MalformedNoteError,
  UnverifiedNoteError,
} from '../errors.js';
import { generateSignerKey, parseVerifierKey, verifierKeyFor } from './keys.js';
import { openNote, signNote } from './note.js';

const line = (path: string) => readFixture(path).trimEnd();
const GO_SKEY = line('note/go-peter-neumann.skey');
const PETER = line('note/go-peter-neumann.vkey');
const ENOCH = line('note/go-enoch-root.vkey');
const TEXT = readFixture('note/go-text.txt');
const SIGNED_BY_PETER = readFixture('note/go-signed-by-peter.note');
const SIGNED_BY_BOTH = readFixture('note/go-signed-by-peter-and-enoch.note');
const PETER_SIG = SIGNED_BY_PETER.slice(TEXT.length + 1);
const ENOCH_SIG = SIGNED_BY_BOTH.slice(SIGNED_BY_PETER.length);

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('signNote', () => {
  it("produces byte for byte the note Go's note.Sign produces", () => {
    expect(signNote(TEXT, [GO_SKEY])).toBe(SIGNED_BY_PETER);
  });

  it('adds one line per signer, in order', () => {
    const other = generateSignerKey('cuenta.example/log');
    const note = signNote(TEXT, [GO_SKEY, other]);
    expect(note.startsWith(SIGNED_BY_PETER)).toBe(true);
    expect(note.slice(SIGNED_BY_PETER.length)).toMatch(
      /^— cuenta\.example\/log [A-Za-z0-9+/]{91}=\n$/,
    );
    const opened = openNote(note, [PETER, verifierKeyFor(other)]);
    expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'cuenta.example/log']);
  });

  it.each([
    ['text without a final newline', 'abc'],
    ['a control character', 'a\u0007b\n'],
    ['a carriage return', 'a\r\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => signNote(text, [GO_SKEY])).toThrow(MalformedNoteError);
  });

  it('needs a signer', () => {
    expect(() => signNote(TEXT, [])).toThrow(InvalidKeyError);
  });
});

describe('openNote', () => {
  it('opens a note signed by Go, returning the text and the verified signature', () => {
    const opened = openNote(SIGNED_BY_PETER, [PETER]);
    expect(opened.text).toBe(TEXT);
    expect(opened.verified).toEqual([
      {
        name: 'PeterNeumann',
        keyId: 0xc74f20a3,
        base64: PETER_SIG.slice('— PeterNeumann '.length, -1),
        algorithm: 'ed25519',
      },
    ]);
    expect(opened.unverified).toEqual([]);
  });

  it('reports signatures by unknown keys as unverified and ignores them', () => {
    const opened = openNote(SIGNED_BY_BOTH, [PETER]);
    expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(opened.unverified).toEqual([
      {
        name: 'EnochRoot',
        keyId: 0xaf0cfe78,
        base64: ENOCH_SIG.slice('— EnochRoot '.length, -1),
      },
    ]);
  });

  it('verifies both signatures when both keys are known', () => {
    const opened = openNote(SIGNED_BY_BOTH, [PETER, parseVerifierKey(ENOCH)]);
    expect(opened.verified.map((s) => s.keyId)).toEqual([0xc74f20a3, 0xaf0cfe78]);
    expect(opened.unverified).toEqual([]);
  });

  it('throws UnverifiedNoteError, listing the keys, when no known key signed', () => {
    const error = thrown(() => openNote(SIGNED_BY_BOTH, []));
    expect(error).toBeInstanceOf(UnverifiedNoteError);
    expect((error as UnverifiedNoteError).unknownKeys).toEqual([
      'PeterNeumann+c74f20a3',
      'EnochRoot+af0cfe78',
    ]);
  });

  it('ignores a key that shares only the name, or only the key ID, with a known key', () => {
    const renamed = SIGNED_BY_PETER.replace('— PeterNeumann', '— PeterNeuman');
    expect(thrown(() => openNote(renamed, [PETER]))).toBeInstanceOf(UnverifiedNoteError);
    const otherId = SIGNED_BY_PETER.replace('x08go', 'x08gp');
    expect(thrown(() => openNote(otherId, [PETER]))).toBeInstanceOf(UnverifiedNoteError);
  });

  it('rejects the whole note when a known key signature does not verify', () => {
    const corrupted = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    const error = thrown(() => openNote(corrupted, [PETER]));
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect((error as InvalidSignatureError).keyId).toBe(0xc74f20a3);
    const otherText = SIGNED_BY_PETER.replace('cryptography', 'cryptographx');
    expect(thrown(() => openNote(otherText, [PETER]))).toBeInstanceOf(InvalidSignatureError);
  });

  it('counts repeated signatures once and drops repeated unknown lines', () => {
    const note = `${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}`;
    const opened = openNote(note, [PETER]);
    expect(opened.verified).toHaveLength(1);
    expect(opened.unverified).toHaveLength(1);
  });

  it('refuses an ambiguous verifier list only when a signature needs it', () => {
    expect(() => openNote(`${TEXT}\n${ENOCH_SIG}`, [ENOCH, PETER, ENOCH])).toThrow(InvalidKeyError);
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [ENOCH, PETER, ENOCH]).verified).toHaveLength(1);
  });

  it('accepts 100 signature lines and refuses 101', () => {
    expect(openNote(`${TEXT}\n${PETER_SIG.repeat(100)}`, [PETER]).verified).toHaveLength(1);
    expect(() => openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, [PETER])).toThrow(
      MalformedNoteError,
    );
  });

  it('splits text from signatures at the last blank line, so text may contain blank lines', () => {
    const text = 'first\n\nsecond\n';
    const note = signNote(text, [GO_SKEY]);
    expect(openNote(note, [PETER]).text).toBe(text);
  });

  // The malformed notes of Go's TestOpen.
  it.each([
    ['text only', TEXT],
    ['text and blank line', `${TEXT}\n`],
    ['signature without final newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['leading control character', `\u0001${TEXT}\n${PETER_SIG}`],
    ['lone surrogate (invalid UTF-8)', `\ud800${TEXT}\n${PETER_SIG}`],
    [
      'name with a space',
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    ],
    ['unexpected line', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ['hyphen instead of em dash', `${TEXT}\n${PETER_SIG.replace('—', '-')}`],
    ['short signature', `${TEXT}\n— PeterNeumann AAAA\n`],
    ['non-base64 signature', `${TEXT}\n— PeterNeumann x08go/ZJ!=\n`],
    ['carriage return', `${TEXT.replace('\n', '\r\n')}\n${PETER_SIG}`],
  ])('refuses a malformed note: %s', (_what, note) => {
    expect(thrown(() => openNote(note, [PETER]))).toBeInstanceOf(MalformedNoteError);
  });
});
