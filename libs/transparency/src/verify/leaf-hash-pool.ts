import { Worker } from 'node:worker_threads';
import type { ChunkHashes } from './hash-chunk.js';
import type { ChunkTask } from './leaf-hashes.worker.js';

/**
 * A worker's answer: the chunk's hashes and the chunk's buffer, transferred back so that it
 * can be read into again; or why the worker could not hash it at all.
 */
export type ChunkOutcome = (ChunkHashes & { buffer: ArrayBuffer }) | { fatal: string };

/**
 * Worker threads that run `hashChunk` on chunks of events.jsonl. Task i goes to worker
 * i mod n; each worker answers in the order it was asked. Promises never reject: a worker
 * that fails or exits answers `{ fatal }`, so tasks in flight when verification stops early
 * cannot become unhandled rejections.
 */
export class LeafHashPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, (outcome: ChunkOutcome) => void>();
  private seq = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./leaf-hashes.worker.js', import.meta.url));
      worker.on('message', (message: { seq: number } & ChunkOutcome) => {
        const { seq, ...outcome } = message;
        this.pending.get(seq)?.(outcome);
        this.pending.delete(seq);
      });
      worker.on('error', (error) => this.failAll(`a verification worker failed: ${error.message}`));
      worker.on('exit', () => this.failAll('a verification worker exited'));
      return worker;
    });
  }

  /**
   * Hashes `bytes` (whole lines) on a worker, comparing them with `signedLeaves` when given;
   * `bytes`' buffer is transferred, not copied.
   */
  hash(bytes: Uint8Array, firstPosition: number, signedLeaves?: Uint8Array): Promise<ChunkOutcome> {
    const seq = this.seq++;
    const worker = this.workers[seq % this.workers.length];
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      const buffer = bytes.buffer as ArrayBuffer;
      const task: ChunkTask = {
        seq,
        buffer,
        length: bytes.byteLength,
        firstPosition,
        signedLeaves,
      };
      if (bytes.byteOffset !== 0) throw new Error('chunks must start at their buffer');
      worker.postMessage(task, [buffer]);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    this.failAll('verification stopped');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private failAll(reason: string): void {
    for (const resolve of this.pending.values()) resolve({ fatal: reason });
    this.pending.clear();
  }
}
