import { open } from 'node:fs/promises';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const CHUNK_BYTES = 4 << 20;

/**
 * Calls `onLine` with every line of `file` and its number (from 1), in order, split as
 * node:readline splits them: at "\n", "\r\n" or a lone "\r", a last line without a newline
 * counting unless it is empty. `onLine` returning false stops the reading.
 *
 * The file is read in large chunks and each line decoded from UTF-8 on its own, so an ASCII
 * line is a one-byte string even when the chunk holds other characters: JSON.parse reads
 * those about twice as fast as the two-byte lines readline cuts from a decoded chunk.
 * @returns the number of lines read.
 */
export async function forEachLine(
  file: string,
  onLine: (line: string, lineNumber: number) => boolean | void,
  skip?: (bytes: Buffer, start: number, end: number) => boolean,
): Promise<number> {
  const handle = await open(file, 'r');
  let lineNumber = 0;
  const emit = (line: string): boolean => onLine(line, ++lineNumber) !== false;
  /** A line ended by "\n": a "\r" before it is part of the newline, any other ends a line. */
  const emitTerminated = (line: string): boolean => {
    if (!line.includes('\r')) return emit(line);
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    return text.split('\r').every(emit);
  };
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        // A line longer than the buffer: grow it rather than cut the line.
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      const end = filled + bytesRead;
      const read = buffer.subarray(0, end);
      const skipping = skip !== undefined && !read.includes(CARRIAGE_RETURN);
      let start = 0;
      for (;;) {
        const newline = read.indexOf(NEWLINE, start);
        if (newline === -1) break;
        if (skipping && skip(read, start, newline)) {
          lineNumber += 1;
        } else if (!emitTerminated(read.toString('utf8', start, newline))) {
          return lineNumber;
        }
        start = newline + 1;
      }
      buffer.copy(buffer, 0, start, end);
      filled = end - start;
    }
    if (filled > 0) {
      const pieces = buffer.toString('utf8', 0, filled).split('\r');
      if (pieces[pieces.length - 1] === '') pieces.pop();
      pieces.every(emit);
    }
    return lineNumber;
  } finally {
    await handle.close();
  }
}
