import { InvalidArgumentError } from '../errors.js';
import type { EventEnvelope } from '../event/envelope.js';
import { canonicalize } from '../jcs/canonicalize.js';
import { MAX_ENTRY_BYTES } from './tiles.js';

const encoder = new TextEncoder();

/**
 * The entry bundle of `events`, in order: each event's leaf bytes (the UTF-8 of its RFC 8785
 * canonical JSON, `leafBytesOf`) after its length as a big-endian uint16. The same bytes as
 * `encodeEntryBundle(events.map(leafBytesOf))`, with each canonical JSON text encoded straight
 * into the bundle rather than into an array of its own first. Throws InvalidArgumentError when
 * an event's canonical JSON is longer than an entry bundle can frame.
 */
export function encodeEventBundle(events: readonly EventEnvelope[]): Uint8Array {
  const lines = events.map((event) => canonicalize(event));
  // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, 2 units, takes 4).
  let capacity = 0;
  for (const line of lines) capacity += 2 + 3 * line.length;
  const out = new Uint8Array(capacity);
  let offset = 0;
  lines.forEach((line, i) => {
    const { written } = encoder.encodeInto(line, out.subarray(offset + 2));
    if (written > MAX_ENTRY_BYTES) {
      throw new InvalidArgumentError(
        `the event at position ${events[i].position} is ${written} bytes of canonical JSON, ` +
          `more than the ${MAX_ENTRY_BYTES} an entry bundle can frame`,
      );
    }
    out[offset] = written >>> 8;
    out[offset + 1] = written & 0xff;
    offset += 2 + written;
  });
  return out.subarray(0, offset);
}
