import { once } from 'node:events';
import WebSocket from 'ws';

/** What a process holds, read through its inspector. */
export interface ProcessMemory {
  /** Bytes in use on the JavaScript heap after full garbage collections. */
  heapAfterGc: number;
  /** Resident set size, bytes. */
  rss: number;
}

/**
 * A session on a process's inspector, for a process started with `--inspect=127.0.0.1:0`
 * (its address is the `Debugger listening on ws://...` line the process prints): forces full
 * garbage collections and reads the heap and the resident memory, without the process
 * having any endpoint of its own for it.
 */
export async function inspect(output: string) {
  const address = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output)?.[1];
  if (!address) throw new Error(`no inspector address in the output:\n${output}`);
  const socket = new WebSocket(address);
  await once(socket, 'open');
  let next = 0;
  type Reply = { result?: unknown; error?: unknown };
  const pending = new Map<number, (message: Reply) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Reply & { id?: number };
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  const call = async <T>(method: string, params: object = {}): Promise<T> => {
    const id = ++next;
    const reply = new Promise<Reply>((resolve) => pending.set(id, resolve));
    socket.send(JSON.stringify({ id, method, params }));
    const { result, error } = await reply;
    pending.delete(id);
    if (error) throw new Error(`${method}: ${JSON.stringify(error)}`);
    return result as T;
  };
  return {
    /** Two full collections (the first may leave garbage that finalizers free), then a read. */
    async memory(): Promise<ProcessMemory> {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const { usedSize } = await call<{ usedSize: number }>('Runtime.getHeapUsage');
      const { result } = await call<{ result: { value: number } }>('Runtime.evaluate', {
        expression: 'process.memoryUsage.rss()',
        returnByValue: true,
      });
      return { heapAfterGc: usedSize, rss: result.value };
    },
    close: async () => {
      socket.close();
      await once(socket, 'close');
    },
  };
}
