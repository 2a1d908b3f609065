import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE_FILES, formatKeyId, toBase64, VerificationError, type VerifierKey } from '#ledger';
import { DEFAULT_CHUNK_BYTES, verifyBundleDir } from '#transparency/standalone';
import {
  CommandFailure,
  count,
  counted,
  fileProblem,
  integerFlag,
  parseFlags,
  positionals,
  runCommand,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';

const USAGE = `usage: cuenta verify <dir> [--key <verifier-key>] [--witness-key <verifier-key>]...

Checks an export bundle (cuenta export) offline, touching no database and no network:
every checkpoint is signed by the log key and its root is the root of the leaf hashes in
leaves.bin up to its size (which also proves each checkpoint consistent with the ones before
it), every cosignature by a witness key is valid, and every event line is the canonical JSON
of an event at its position that hashes to the leaf there. Exits 0 with a one-line summary,
or 1 naming the first event (line, position, id) or checkpoint (size) that does not match,
and why. A bundle without leaves.bin (format v1) is checked against the roots directly, and
a changed event in it is placed between two checkpoints.

  --key <verifier-key>          the log's key, as you obtained it from the log (a key string
                                or a file). Without it the key in the bundle's keys.json is
                                used, which proves only that the bundle is self-consistent:
                                pin the key.
  --witness-key <verifier-key>  a witness whose cosignatures you trust (repeatable); without
                                any, the witnesses listed in keys.json
  --workers <n>                 threads hashing events (default: one per CPU, at most 8;
                                0 = this thread only; bundles under 4 MiB use this thread)
  --chunk-bytes <n>             bytes of events.jsonl per task (default ${DEFAULT_CHUNK_BYTES})
Exit codes: 0 verified, 1 does not verify, 2 bad arguments.
`;

/** `cuenta verify <dir>`: the offline verifier of export bundles. */
export function verifyCommand(argv: string[]): Promise<number> {
  return runCommand('verify', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, {
      key: { type: 'string' },
      'witness-key': { type: 'string', multiple: true },
      workers: { type: 'string' },
      'chunk-bytes': { type: 'string' },
    });
    const [dir] = positionals(args, ['<dir>']);
    const logKey = values.key === undefined ? undefined : await verifierKeyArg(values.key, '--key');
    if (logKey && logKey.algorithm !== 'ed25519') {
      throw new UsageError('--key must be the log key (type 0x01), not a witness key (type 0x04)');
    }
    const witnessKeys = await Promise.all(
      (values['witness-key'] ?? []).map((key) => verifierKeyArg(key, '--witness-key')),
    );
    const chunkBytes =
      integerFlag(values['chunk-bytes'], '--chunk-bytes', 4096, 1 << 30) ?? DEFAULT_CHUNK_BYTES;
    await assertFolder(dir);
    const workers =
      integerFlag(values.workers, '--workers', 0, 64) ?? (await defaultWorkers(dir, chunkBytes));

    const started = performance.now();
    let result;
    try {
      result = await verifyBundleDir({ dir, logKey, witnessKeys, workers, chunkBytes });
    } catch (error) {
      if (error instanceof VerificationError) {
        throw new CommandFailure(`${dir} does not verify: ${error.message}`);
      }
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    const { summary } = result;
    if (!result.logKeyPinned) {
      process.stderr.write(
        'cuenta verify: warning: the log key was taken from the bundle (keys.json), not pinned: ' +
          'this shows the bundle is consistent with itself, not that it is the log you trust; ' +
          'pass --key\n',
      );
    }
    const keys =
      `log key ${label(result.logKey)} ${result.logKeyPinned ? 'pinned' : 'from keys.json, NOT pinned'}, ` +
      `${counted(result.witnessKeys.length, 'witness key')} ${result.witnessKeysPinned ? 'pinned' : 'from keys.json'}`;
    const speed = `${count(Math.round(summary.events / Math.max(seconds, 1e-6)))} events/s`;
    process.stdout.write(
      `verified ${dir}: ${counted(summary.events, 'event')} and ` +
        `${counted(summary.checkpoints, 'checkpoint')} of ${result.logKey.name} (latest: size ` +
        `${count(summary.events)}, root ${toBase64(summary.root)}), ` +
        `${counted(summary.cosignatures, 'witness cosignature')}; ${keys}; ` +
        `${seconds.toFixed(2)} s, ${speed} on ${result.workers === 0 ? 'one thread' : `${result.workers} workers`}\n`,
    );
    return 0;
  });
}

function label(key: VerifierKey): string {
  return `${key.name}+${formatKeyId(key.keyId)}`;
}

async function assertFolder(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`${dir} is not a folder`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`the bundle folder ${dir} ${fileProblem(error)}`);
  }
}

/** One worker per CPU (at most 8), unless events.jsonl fits in one chunk. */
async function defaultWorkers(dir: string, chunkBytes: number): Promise<number> {
  const size = await stat(path.join(dir, BUNDLE_FILES.events)).then(
    (info) => info.size,
    () => 0,
  );
  return size <= chunkBytes ? 0 : Math.min(8, Math.max(1, os.availableParallelism()));
}
