import { parentPort, workerData } from 'node:worker_threads';
import type { Thresholds } from '../domain/index.js';
import { UnreadableEventLine } from './event-line.js';
import {
  foldPartition,
  judgePartition,
  MisroutedEventLine,
  type PartitionFlags,
} from './fold-partition.js';

// One of `cuenta flags`' workers: folds and judges one partition of events.jsonl's files and
// posts their flags back, or the line that stopped it.

export interface PartitionTask {
  file: string;
  part: number;
  parts: number;
  asOf: string;
  thresholds: Thresholds;
}

export type PartitionOutcome =
  /** `result` is a PartitionFlags as JSON: faster to pass than the objects themselves. */
  | { kind: 'flags'; result: string }
  | { kind: 'unreadable'; lineNumber: number; reason: string }
  | { kind: 'misrouted'; lineNumber: number };

async function run(task: PartitionTask): Promise<PartitionOutcome> {
  try {
    const folded = await foldPartition(task);
    const judged: PartitionFlags = judgePartition(folded, task.asOf, task.thresholds);
    return { kind: 'flags', result: JSON.stringify(judged) };
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

if (parentPort) {
  const port = parentPort;
  port.postMessage(await run(workerData as PartitionTask));
}
