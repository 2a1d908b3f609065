import { parentPort } from 'node:worker_threads';
import { hashChunk } from './hash-chunk.js';

// One of `cuenta verify`'s workers: hashes the chunks of events.jsonl it is sent and posts
// the hashes back, transferring the buffers both ways rather than copying them; the chunk's
// buffer goes back too, to be read into again.

export interface ChunkTask {
  seq: number;
  buffer: ArrayBuffer;
  length: number;
  firstPosition: number;
  /** leaves.bin's hashes for the chunk's lines (v2 bundles), each line compared with its own. */
  signedLeaves?: Uint8Array;
}

parentPort?.on('message', (task: ChunkTask) => {
  try {
    const result = hashChunk(
      new Uint8Array(task.buffer, 0, task.length),
      task.firstPosition,
      task.signedLeaves,
    );
    parentPort?.postMessage({ seq: task.seq, ...result, buffer: task.buffer }, [
      result.hashes.buffer as ArrayBuffer,
      task.buffer,
    ]);
  } catch (error) {
    parentPort?.postMessage({
      seq: task.seq,
      fatal: error instanceof Error ? error.message : String(error),
    });
  }
});
