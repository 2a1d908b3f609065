import path from 'node:path';
import {
  evaluateAll,
  RULES,
  type FlagFiles,
  type RedFlag,
  type Thresholds,
} from '../domain/index.js';
import { foldPartition } from './fold-partition.js';
import { flagsInWorkers } from './parallel-flags.js';

export { UnreadableEventLine } from './event-line.js';

/** What `cuenta flags` prints: the flags, and what they were computed from and under. */
export interface OfflineFlags {
  asOf: string;
  /** Events read from the export (its size). */
  events: number;
  rules: { code: string; version: number }[];
  thresholds: Thresholds;
  flags: RedFlag[];
}

/**
 * Folds an export's events.jsonl (`file`), line by line in log order, into the red-flag files.
 * Precondition: the bundle was verified (`cuenta flags` does that first).
 * @throws UnreadableEventLine for a line that is not JSON or not an event.
 */
export async function foldEventsFile(file: string): Promise<{ files: FlagFiles; events: number }> {
  const { files, lines } = await foldPartition({ file, part: 0, parts: 1 });
  return { files, events: lines };
}

/**
 * Every red flag of the export in `dir` as of `asOf`, under `thresholds`: the same fold and
 * rules the API runs, over the export's events alone. With `workers` (default 0) above 0,
 * this thread and that many worker threads fold and judge the files between them, giving the
 * same flags in the same order as this thread alone does.
 * @throws UnreadableEventLine for the first line that is not JSON or not an event.
 */
export async function flagsFromExport(args: {
  dir: string;
  asOf: string;
  thresholds: Thresholds;
  workers?: number;
}): Promise<OfflineFlags> {
  const file = path.join(args.dir, 'events.jsonl');
  const workers = args.workers ?? 0;
  const { flags, events } =
    (workers > 0
      ? await flagsInWorkers({ file, asOf: args.asOf, thresholds: args.thresholds, workers })
      : null) ?? (await flagsInThisThread(file, args.asOf, args.thresholds));
  return {
    asOf: args.asOf,
    events,
    rules: RULES.map((rule) => ({ code: rule.code, version: rule.version })),
    thresholds: args.thresholds,
    flags,
  };
}

async function flagsInThisThread(
  file: string,
  asOf: string,
  thresholds: Thresholds,
): Promise<{ flags: RedFlag[]; events: number }> {
  const { files, events } = await foldEventsFile(file);
  return { flags: evaluateAll(files, asOf, thresholds), events };
}
