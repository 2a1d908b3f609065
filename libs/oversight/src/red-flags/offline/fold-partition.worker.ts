import { parentPort, workerData } from 'node:worker_threads';
import type { Thresholds } from '../domain/index.js';
import { partitionOutcome, type PartitionOutcome } from './fold-partition.js';

// One of `cuenta flags`' workers: folds and judges one partition of events.jsonl's files and
// posts their flags back, or the line that stopped it.

export interface PartitionTask {
  file: string;
  part: number;
  parts: number;
  asOf: string;
  thresholds: Thresholds;
}

/** The flags travel as JSON: faster to write and read back than to clone the objects. */
export type WorkerOutcome = PartitionOutcome<string>;

if (parentPort) {
  const port = parentPort;
  const outcome = await partitionOutcome(workerData as PartitionTask);
  const answer: WorkerOutcome =
    outcome.kind === 'flags' ? { kind: 'flags', result: JSON.stringify(outcome.result) } : outcome;
  port.postMessage(answer);
}
