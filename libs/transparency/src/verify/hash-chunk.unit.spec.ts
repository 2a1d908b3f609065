import { describe, expect, it } from '@jest/globals';
import { canonicalize, leafHashOfText, toHex, type EventEnvelope } from '#ledger';
import { countLines, hashChunk } from './hash-chunk.js';

const envelope = (position: number): EventEnvelope => ({
  id: `0b9e3f64-5c3a-4c2e-9f0d-${position.toString(16).padStart(12, '0')}`,
  stream: 'commitment-cartagena-2023',
  streamVersion: position + 1,
  position,
  type: 'MilestoneProgressReported',
  schemaVersion: 1,
  data: { milestoneId: `m${position}`, note: 'Secretaría de Planeación' },
  metadata: {
    actor: { subject: 'planeacion-ana', role: 'steward' },
    occurredAt: '2023-05-01T14:00:00.000Z',
    recordedAt: '2023-05-01T14:00:01.250Z',
  },
});

const lines = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => canonicalize(envelope(from + i)));
const bytes = (text: string) => new TextEncoder().encode(text);
const chunk = (texts: string[]) => bytes(texts.map((t) => `${t}\n`).join(''));
const hex = (hashes: Uint8Array) =>
  Array.from({ length: hashes.length / 32 }, (_, i) => toHex(hashes.subarray(32 * i, 32 * i + 32)));

describe('hashChunk', () => {
  it('hashes every line of a chunk that starts at any position', () => {
    const texts = lines(40, 3);
    const result = hashChunk(chunk(texts), 40);
    expect(result.error).toBeUndefined();
    expect(hex(result.hashes)).toEqual(texts.map((t) => toHex(leafHashOfText(t))));
  });

  it('hashes a chunk that is a view into a larger buffer, or a Buffer', () => {
    const texts = lines(7, 3);
    const within = new Uint8Array([...bytes('{"x":1}\n'), ...chunk(texts), ...bytes('{"y":2}\n')]);
    const view = within.subarray(8, 8 + chunk(texts).length);
    const expected = texts.map((t) => toHex(leafHashOfText(t)));
    expect(hex(hashChunk(view, 7).hashes)).toEqual(expected);
    expect(hex(hashChunk(Buffer.from(view), 7).hashes)).toEqual(expected);
    expect(countLines(view)).toBe(3);
  });

  it('returns the hashes before the first bad line and names that line', () => {
    const texts = lines(10, 4);
    texts[2] = texts[2].replace('"schemaVersion":1', '"schemaVersion":2 ');
    const result = hashChunk(chunk(texts), 10);
    expect(hex(result.hashes)).toEqual(texts.slice(0, 2).map((t) => toHex(leafHashOfText(t))));
    expect(result.error).toMatchObject({ file: 'events.jsonl', position: 12, lineNumber: 13 });
  });

  it('names a line that is not UTF-8 instead of hashing a replacement character', () => {
    const texts = lines(0, 3);
    const good = chunk(texts.slice(0, 1));
    const bad = new Uint8Array([
      ...bytes(texts[1].slice(0, 20)),
      0xff,
      ...bytes(`${texts[1].slice(20)}\n`),
    ]);
    const result = hashChunk(new Uint8Array([...good, ...bad, ...chunk(texts.slice(2))]), 0);
    expect(hex(result.hashes)).toEqual([toHex(leafHashOfText(texts[0]))]);
    expect(result.error).toEqual({
      file: 'events.jsonl',
      position: 1,
      lineNumber: 2,
      reason: 'not valid UTF-8',
    });
  });

  it('compares each line with the leaf leaves.bin holds for it, naming the first that differs', () => {
    const texts = lines(20, 4);
    const signed = new Uint8Array(texts.flatMap((t) => [...leafHashOfText(t)]));
    expect(hashChunk(chunk(texts), 20, signed).error).toBeUndefined();
    const changed = [...texts];
    changed[2] = changed[2].replace('"m22"', '"m23"');
    const result = hashChunk(chunk(changed), 20, signed);
    expect(hex(result.hashes)).toEqual(texts.slice(0, 2).map((t) => toHex(leafHashOfText(t))));
    expect(result.error).toMatchObject({
      file: 'events.jsonl',
      position: 22,
      lineNumber: 23,
      eventId: envelope(22).id,
      kind: 'leaf',
    });
  });

  it('reports a byte-order mark as a line that is not JSON', () => {
    const result = hashChunk(chunk([`\ufeff${lines(0, 1)[0]}`]), 0);
    expect(result.hashes).toHaveLength(0);
    expect(result.error).toMatchObject({ lineNumber: 1, reason: 'not valid JSON' });
  });

  it('hashes nothing in an empty chunk, and counts lines by their newlines', () => {
    expect(hashChunk(new Uint8Array(0), 7)).toEqual({ hashes: new Uint8Array(0) });
    expect(countLines(chunk(lines(0, 5)))).toBe(5);
    expect(countLines(bytes('no newline'))).toBe(0);
  });
});
