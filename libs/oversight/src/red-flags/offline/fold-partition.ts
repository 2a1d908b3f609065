import {
  evaluateFile,
  fileKeyOf,
  foldEvent,
  type FlagFiles,
  type RedFlag,
  type Thresholds,
} from '../domain/index.js';
import {
  fileOfLine,
  mayBeRead,
  parseEventLine,
  partitionOf,
  partitionOfBytes,
  UnreadableEventLine,
} from './event-line.js';
import { forEachLine } from './event-lines.js';

/**
 * A line whose text named another stream than its event does, so the partition that read
 * the text may have skipped an event that was its own: the partitions' files cannot be
 * trusted, and the fold must run in one piece.
 */
export class MisroutedEventLine extends Error {
  constructor(readonly lineNumber: number) {
    super(`events.jsonl line ${lineNumber}: its text names another stream than its event`);
    this.name = 'MisroutedEventLine';
  }
}

/** One partition's fold of events.jsonl. */
export interface FoldedPartition {
  files: FlagFiles;
  /** For each file, in the files' order (their creation order), the line that created it. */
  firstLines: number[];
  /** Every line of the file, read or not. */
  lines: number;
}

/**
 * Folds, in log order, the events of events.jsonl (`file`) whose files fall in partition
 * `part` of `parts` (`partitionOf` their key): every event of a file goes to the same
 * partition, and no rule reads two files, so the partitions' files together are the files of
 * one fold over the whole log. A line's file is read from its text when the text says it
 * (`fileOfLine`), so a partition parses only its own lines; lines it does not say are parsed
 * by every partition. With `parts` 1 this is the fold of every event.
 * Precondition: 0 <= part < parts.
 * @throws UnreadableEventLine for a line, read by this partition, that is not an event.
 * @throws MisroutedEventLine for a line whose text named another stream than its event.
 */
export async function foldPartition(args: {
  file: string;
  part: number;
  parts: number;
}): Promise<FoldedPartition> {
  const { part, parts } = args;
  const files: FlagFiles = {};
  const firstLines: number[] = [];
  const skipOthers =
    parts > 1
      ? (bytes: Buffer, start: number, end: number) => {
          const owner = partitionOfBytes(bytes, start, end, parts);
          return owner !== -1 && owner !== part;
        }
      : undefined;
  const lines = await forEachLine(
    args.file,
    (line, lineNumber) => {
      const guess = fileOfLine(line);
      if (guess === null ? !mayBeRead(line) : partitionOf(guess.key, parts) !== part) return;
      const event = parseEventLine(line, lineNumber);
      let key: string | null;
      if (guess !== null && event.stream === guess.stream) {
        key = guess.key;
      } else {
        // Another partition may have skipped this line on its text: only one partition may go on.
        if (guess !== null && parts > 1) throw new MisroutedEventLine(lineNumber);
        key = fileKeyOf(event);
        if (key === null || partitionOf(key, parts) !== part) return;
      }
      const isNew = !Object.hasOwn(files, key);
      foldEvent(files, event);
      if (isNew && Object.hasOwn(files, key)) firstLines.push(lineNumber);
    },
    skipOthers,
  );
  return { files, firstLines, lines };
}

/** A partition's flags: for each of its files, the line that created it and its flags. */
export interface PartitionFlags {
  firstLines: number[];
  flags: RedFlag[][];
  lines: number;
}

/** Judges every file of a folded partition, as `evaluateAll` does, leaving the sort to merge. */
export function judgePartition(
  folded: FoldedPartition,
  asOf: string,
  thresholds: Thresholds,
): PartitionFlags {
  return {
    firstLines: folded.firstLines,
    flags: Object.keys(folded.files).map((key) =>
      evaluateFile(key, folded.files[key], asOf, thresholds),
    ),
    lines: folded.lines,
  };
}

/** What a partition ends with: its flags, or the line that stopped it. */
export type PartitionOutcome<Flags = PartitionFlags> =
  | { kind: 'flags'; result: Flags }
  | { kind: 'unreadable'; lineNumber: number; reason: string }
  | { kind: 'misrouted'; lineNumber: number };

/** Folds and judges partition `part` of `parts` of events.jsonl (`file`). */
export async function partitionOutcome(task: {
  file: string;
  part: number;
  parts: number;
  asOf: string;
  thresholds: Thresholds;
}): Promise<PartitionOutcome> {
  try {
    const folded = await foldPartition(task);
    return { kind: 'flags', result: judgePartition(folded, task.asOf, task.thresholds) };
  } catch (error) {
    if (error instanceof UnreadableEventLine) {
      return { kind: 'unreadable', lineNumber: error.lineNumber, reason: error.reason };
    }
    if (error instanceof MisroutedEventLine) {
      return { kind: 'misrouted', lineNumber: error.lineNumber };
    }
    throw error;
  }
}
