import { Worker } from 'node:worker_threads';
import { sortFlags, type RedFlag, type Thresholds } from '../domain/index.js';
import { UnreadableEventLine } from './event-line.js';
import { partitionOutcome, type PartitionFlags, type PartitionOutcome } from './fold-partition.js';
import type { PartitionTask, WorkerOutcome } from './fold-partition.worker.js';

/** A worker that answered nothing: it failed, or exited before answering. */
class WorkerFailed extends Error {}

/** A partition folded and judged in a worker thread; its flags read back as they arrive. */
function inWorker(task: PartitionTask): Promise<PartitionOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fold-partition.worker.js', import.meta.url), {
      workerData: task,
    });
    worker.once('message', (answer: WorkerOutcome) => {
      resolve(
        answer.kind === 'flags'
          ? { kind: 'flags', result: JSON.parse(answer.result) as PartitionFlags }
          : answer,
      );
    });
    worker.once('error', (error) => reject(new WorkerFailed(error.message)));
    worker.once('exit', () => reject(new WorkerFailed('a red-flag worker exited')));
  });
}

/**
 * Every flag of events.jsonl (`file`) as of `asOf`, the files split in `workers` + 1
 * partitions (`foldPartition`): one folded and judged in this thread, each other in a worker
 * thread. The partitions' flags are merged in the order `evaluateAll` gives: the files in the
 * order one fold over the log creates them, each file's flags in its own order, then sorted.
 * So the flags, and their order, are those of one fold in one thread.
 *
 * Returns null when the partitions cannot be trusted to give that (a line whose text named
 * another stream than its event, which a verified export, all canonical JSON, never holds)
 * or a worker failed: the caller folds in one thread, which gives the flags or the error.
 * Precondition: workers >= 1.
 * @throws UnreadableEventLine for the first line that is not an event.
 */
export async function flagsInWorkers(args: {
  file: string;
  asOf: string;
  thresholds: Thresholds;
  workers: number;
}): Promise<{ flags: RedFlag[]; events: number } | null> {
  const parts = args.workers + 1;
  const task = (part: number): PartitionTask => ({
    file: args.file,
    part,
    parts,
    asOf: args.asOf,
    thresholds: args.thresholds,
  });
  const running = Array.from({ length: args.workers }, (_, i) => inWorker(task(i + 1)));
  const outcomes = await Promise.allSettled([partitionOutcome(task(0)), ...running]);
  const answers: PartitionOutcome[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      if (outcome.reason instanceof WorkerFailed) return null;
      throw outcome.reason;
    }
    answers.push(outcome.value);
  }
  // Each partition stops at its first bad line, and reads every line another partition may
  // have skipped on its text: the earliest line reported is the first bad line of the file.
  let first: Exclude<PartitionOutcome, { kind: 'flags' }> | undefined;
  for (const answer of answers) {
    if (answer.kind === 'flags') continue;
    if (first === undefined || answer.lineNumber < first.lineNumber) first = answer;
  }
  if (first?.kind === 'misrouted') return null;
  if (first?.kind === 'unreadable') throw new UnreadableEventLine(first.lineNumber, first.reason);

  const files: { firstLine: number; flags: RedFlag[] }[] = [];
  let events = 0;
  for (const answer of answers) {
    if (answer.kind !== 'flags') continue;
    const { firstLines, flags, lines } = answer.result;
    events = lines;
    firstLines.forEach((firstLine, i) => files.push({ firstLine, flags: flags[i] }));
  }
  files.sort((a, b) => a.firstLine - b.firstLine);
  const all: RedFlag[] = [];
  for (const file of files) for (const flag of file.flags) all.push(flag);
  return { flags: sortFlags(all), events };
}
