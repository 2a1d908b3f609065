import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  evaluateAll,
  foldEvent,
  RULES,
  type FlagFiles,
  type FlagSourceEvent,
  type RedFlag,
  type Thresholds,
} from '../domain/index.js';

/** What `cuenta flags` prints: the flags, and what they were computed from and under. */
export interface OfflineFlags {
  asOf: string;
  /** Events read from the export (its size). */
  events: number;
  rules: { code: string; version: number }[];
  thresholds: Thresholds;
  flags: RedFlag[];
}

/** An events.jsonl line that is not an event envelope, naming its line. */
export class UnreadableEventLine extends Error {
  constructor(
    readonly lineNumber: number,
    reason: string,
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

/**
 * Folds an export's events.jsonl (`file`), line by line in log order, into the red-flag files.
 * Precondition: the bundle was verified (`cuenta flags` does that first).
 * @throws UnreadableEventLine for a line that is not JSON or not an event.
 */
export async function foldEventsFile(file: string): Promise<{ files: FlagFiles; events: number }> {
  const files: FlagFiles = {};
  let events = 0;
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    events += 1;
    if (!NEEDLES.some((needle) => line.includes(needle))) continue;
    let event: FlagSourceEvent;
    try {
      event = JSON.parse(line) as FlagSourceEvent;
    } catch {
      throw new UnreadableEventLine(events, 'is not JSON');
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
      throw new UnreadableEventLine(events, 'is not an event envelope');
    }
    foldEvent(files, event);
  }
  return { files, events };
}

/**
 * Every red flag of the export in `dir` as of `asOf`, under `thresholds`: the same fold and
 * rules the API runs, over the export's events alone.
 */
export async function flagsFromExport(args: {
  dir: string;
  asOf: string;
  thresholds: Thresholds;
}): Promise<OfflineFlags> {
  const { files, events } = await foldEventsFile(path.join(args.dir, 'events.jsonl'));
  return {
    asOf: args.asOf,
    events,
    rules: RULES.map((rule) => ({ code: rule.code, version: rule.version })),
    thresholds: args.thresholds,
    flags: evaluateAll(files, args.asOf, args.thresholds),
  };
}
