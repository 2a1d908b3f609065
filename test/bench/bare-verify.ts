import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

// The verifier benchmark's baseline, run as its own process as `cuenta verify` is: one thread
// reads events.jsonl in 4 MiB chunks and runs JSON.parse and SHA-256 on each line, nothing
// else. Prints one JSON line: the lines read and the process's CPU time (user and system).

async function main(): Promise<void> {
  let lines = 0;
  const consume = (buffer: Buffer, final: boolean): Buffer => {
    let from = 0;
    for (;;) {
      const end = buffer.indexOf(10, from);
      if (end < 0) break;
      JSON.parse(buffer.toString('utf8', from, end));
      createHash('sha256').update(buffer.subarray(from, end)).digest();
      lines++;
      from = end + 1;
    }
    if (final && from < buffer.length) throw new Error('events.jsonl does not end with a newline');
    return buffer.subarray(from);
  };
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 4 * 2 ** 20 })) {
    carry = consume(
      carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer),
      false,
    );
  }
  consume(carry, true);
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ lines, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
}

void main();
