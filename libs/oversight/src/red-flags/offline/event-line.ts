import type { FlagSourceEvent } from '../domain/index.js';

/** An events.jsonl line that is not an event envelope, naming its line. */
export class UnreadableEventLine extends Error {
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
  ) {
    super(`events.jsonl line ${lineNumber}: ${reason}`);
    this.name = 'UnreadableEventLine';
  }
}

// A line no rule reads is skipped before it is parsed: every event a rule reads names one
// of these streams or types in its canonical JSON.
const NEEDLES = [
  '"stream":"commitment-',
  '"stream":"evaluation-',
  '"stream":"dialogue-space-',
  '"stream":"red-flag-',
  '"type":"IndependentAssessmentRecorded"',
];

/** Whether a rule may read the event on `line`; a line this says no to needs no parsing. */
export function mayBeRead(line: string): boolean {
  for (const needle of NEEDLES) if (line.includes(needle)) return true;
  return false;
}

/**
 * The event on `line` (line `lineNumber` of events.jsonl).
 * @throws UnreadableEventLine for a line that is not JSON or not an event.
 */
export function parseEventLine(line: string, lineNumber: number): FlagSourceEvent {
  let event: FlagSourceEvent;
  try {
    event = JSON.parse(line) as FlagSourceEvent;
  } catch {
    throw new UnreadableEventLine(lineNumber, 'is not JSON');
  }
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.position !== 'number' ||
    typeof event.stream !== 'string' ||
    typeof event.type !== 'string' ||
    typeof event.data !== 'object' ||
    typeof event.metadata?.occurredAt !== 'string' ||
    typeof event.metadata.recordedAt !== 'string'
  ) {
    throw new UnreadableEventLine(lineNumber, 'is not an event envelope');
  }
  return event;
}

// The streams whose every event belongs to the stream's own file (see `fileKeyOf`).
const OWN_FILE_STREAMS: readonly (readonly [prefix: string, kind: string])[] = [
  ['commitment-', 'commitment'],
  ['evaluation-', 'evaluation'],
  ['dialogue-space-', 'dialogue_space'],
];

const STREAM_KEY = '"stream":"';

/**
 * What a line's text says about the file its event belongs to, without parsing it: the
 * stream named by the line's last `"stream":"` (where RFC 8785 puts the envelope's own, after
 * the data and the metadata) and, when that stream's events all go to its own file, the
 * file's key. A guess: whoever parses the line must check `stream` against the event's.
 * Null when the text does not say (no such key, an escaped character in the name, or a
 * stream whose events go to other files, as justifications and assessments do).
 */
export function fileOfLine(line: string): { stream: string; key: string } | null {
  const at = line.lastIndexOf(STREAM_KEY);
  if (at === -1) return null;
  const from = at + STREAM_KEY.length;
  const to = line.indexOf('"', from);
  if (to === -1) return null;
  const stream = line.slice(from, to);
  if (stream.includes('\\')) return null;
  for (const [prefix, kind] of OWN_FILE_STREAMS) {
    if (stream.startsWith(prefix)) return { stream, key: `${kind}:${stream.slice(prefix.length)}` };
  }
  return null;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Which of `parts` partitions folds the file `key`: FNV-1a over its UTF-16 code units, which
 * are its bytes when it is ASCII (`partitionOfBytes` reads those without decoding the line).
 */
export function partitionOf(key: string, parts: number): number {
  if (parts === 1) return 0;
  let hash = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), FNV_PRIME);
  return (hash >>> 0) % parts;
}

const STREAM_KEY_BYTES = Buffer.from(STREAM_KEY);
/** Each stream prefix's bytes, and the hash of its file key's start (`<kind>:`). */
const OWN_FILE_STREAM_BYTES = OWN_FILE_STREAMS.map(([prefix, kind]) => {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(`${kind}:`)) hash = Math.imul(hash ^ byte, FNV_PRIME);
  return [Buffer.from(prefix), hash] as const;
});
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ASCII_END = 0x80;

/**
 * `partitionOf(fileOfLine(line).key, parts)` read from the line's UTF-8 bytes,
 * `bytes[start, end)` (without its newline); -1 where `fileOfLine` gives null or the stream's
 * name is not ASCII (its key's code units are not its bytes). Lets a partition pass over
 * another's lines without decoding them.
 */
export function partitionOfBytes(bytes: Buffer, start: number, end: number, parts: number): number {
  const at = lastIndexIn(bytes, STREAM_KEY_BYTES, start, end);
  if (at === -1) return -1;
  const from = at + STREAM_KEY_BYTES.length;
  let to = from;
  while (to < end && bytes[to] !== QUOTE) to++;
  if (to === end) return -1;
  for (const [prefix, kindHash] of OWN_FILE_STREAM_BYTES) {
    if (to - from < prefix.length || !startsWithBytes(bytes, from, prefix)) continue;
    let hash = kindHash;
    for (let i = from + prefix.length; i < to; i++) {
      const byte = bytes[i];
      if (byte === BACKSLASH || byte >= ASCII_END) return -1;
      hash = Math.imul(hash ^ byte, FNV_PRIME);
    }
    return (hash >>> 0) % parts;
  }
  return -1;
}

/**
 * Where `needle` last starts in `bytes[start, end)`, or -1. A loop rather than
 * Buffer#lastIndexOf: the envelope's stream is a few dozen bytes from the line's end, closer
 * than the native search's setup costs.
 */
function lastIndexIn(bytes: Uint8Array, needle: Uint8Array, start: number, end: number): number {
  const first = needle[0];
  outer: for (let i = end - needle.length; i >= start; i--) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function startsWithBytes(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}
