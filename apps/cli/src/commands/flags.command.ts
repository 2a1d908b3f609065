import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE_FILES, VerificationError } from '#ledger';
import {
  flagsFromExport,
  InvalidThresholds,
  thresholdsFrom,
  UnreadableEventLine,
  type Thresholds,
} from '#oversight/red-flags';
import { verifyBundleDir } from '#transparency/standalone';
import {
  CommandFailure,
  counted,
  fileProblem,
  integerFlag,
  parseFlags,
  positionals,
  runCommand,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';

const USAGE = `usage: cuenta flags <dir> --as-of <time> [--thresholds <file>] [--key <verifier-key>]
                    [--workers <n>]

Computes every red flag (docs/oversight/red-flags.md) from an export bundle (cuenta export)
alone, offline, with the same rules the API runs: first verifies the bundle as cuenta verify
does, then folds its events in log order and judges the rules as of the time given. Prints
the flags as JSON on stdout, newest raised first: the same flags, in the same order, that the
API's redFlags query answers for the same log, as-of time and thresholds.

  --as-of <time>        the time the time-dependent rules are judged at: an ISO-8601 instant
                        (2026-03-01T00:00:00Z) or a day (2026-03-01, its start in Bogotá)
  --thresholds <file>   a JSON object of thresholds, as the API's redFlagRules publishes
                        them (absent keys keep their defaults)
  --key <verifier-key>  the log's key, as you obtained it from the log (a key string or a
                        file). Without it the key in the bundle's keys.json is used, which
                        proves only that the bundle is self-consistent: pin the key.
  --workers <n>         threads besides this one verifying the bundle and recomputing the
                        flags, each commitment's events folded by one of them (default: one
                        per CPU but this one, at most 7; 0 = this thread only; bundles under
                        4 MiB use this thread). The flags are the same whatever the number.
Exit codes: 0 printed; 1 the bundle does not verify or holds an unreadable event; 2 bad
arguments.
`;

/** `cuenta flags <dir> --as-of <time>`: the offline recomputation of every red flag. */
export function flagsCommand(argv: string[]): Promise<number> {
  return runCommand('flags', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, {
      'as-of': { type: 'string' },
      thresholds: { type: 'string' },
      key: { type: 'string' },
      workers: { type: 'string' },
    });
    const [dir] = positionals(args, ['<dir>']);
    const asOf = asOfArg(values['as-of']);
    const thresholds = await thresholdsArg(values.thresholds);
    const logKey = values.key === undefined ? undefined : await verifierKeyArg(values.key, '--key');
    if (logKey && logKey.algorithm !== 'ed25519') {
      throw new UsageError('--key must be the log key (type 0x01), not a witness key (type 0x04)');
    }
    await assertFolder(dir);
    const workers = integerFlag(values.workers, '--workers', 0, 64) ?? (await defaultWorkers(dir));
    try {
      const verified = await verifyBundleDir({ dir, logKey, workers });
      process.stderr.write(
        `verified ${dir}: ${counted(verified.summary.events, 'event')} of ${verified.logKey.name}` +
          `${verified.logKeyPinned ? '' : ' (log key from keys.json, NOT pinned: pass --key)'}\n`,
      );
    } catch (error) {
      if (error instanceof VerificationError) {
        throw new CommandFailure(
          `${dir} does not verify, so no flag is computed: ${error.message}`,
        );
      }
      throw error;
    }
    let result;
    try {
      result = await flagsFromExport({ dir, asOf, thresholds, workers });
    } catch (error) {
      if (error instanceof UnreadableEventLine) throw new CommandFailure(error.message);
      throw error;
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  });
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The as-of time as the API takes it: an ISO-8601 instant, normalized. */
function asOfArg(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--as-of is required (an ISO-8601 time or a day)');
  const text = DAY.test(value) ? `${value}T00:00:00-05:00` : value;
  const time = Date.parse(text);
  if (!(INSTANT.test(text) && Number.isFinite(time))) {
    throw new UsageError(
      `--as-of must be an ISO-8601 time (2026-03-01T00:00:00Z) or a day (2026-03-01), got "${value}"`,
    );
  }
  return new Date(time).toISOString();
}

async function thresholdsArg(file: string | undefined): Promise<Thresholds> {
  if (file === undefined) return thresholdsFrom(undefined);
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--thresholds ${file} ${fileProblem(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--thresholds ${file} is not JSON`);
  }
  try {
    return thresholdsFrom(parsed);
  } catch (error) {
    if (error instanceof InvalidThresholds) {
      throw new UsageError(`--thresholds ${file}: ${error.message}`);
    }
    throw error;
  }
}

/** A worker per CPU besides this thread's (at most 7), unless events.jsonl is small. */
async function defaultWorkers(dir: string): Promise<number> {
  const size = await stat(path.join(dir, BUNDLE_FILES.events)).then(
    (info) => info.size,
    () => 0,
  );
  return size < SMALL_BUNDLE_BYTES ? 0 : Math.min(8, os.availableParallelism()) - 1;
}

/** Below this, starting worker threads costs more than they save. */
const SMALL_BUNDLE_BYTES = 4 << 20;

async function assertFolder(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`${dir} is not a folder`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`the bundle folder ${dir} ${fileProblem(error)}`);
  }
}
