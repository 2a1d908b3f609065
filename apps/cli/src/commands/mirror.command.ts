import os from 'node:os';
import { CHECK_ELSEWHERE_FROM, toBase64 } from '#ledger';
import { FORK_EVIDENCE, ForkDetected, MIRROR_STATE, syncMirror } from '#transparency/standalone';
import {
  count,
  counted,
  integerFlag,
  parseFlags,
  positionals,
  requireFlag,
  runCommand,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';

const USAGE = `usage: cuenta mirror --server <url> --dir <dir> --key <log-key>

Keeps a complete, verified copy of a Cuenta log in <dir>, read over plain HTTP from the
server's c2sp.org/tlog-tiles endpoints (<url>/log/checkpoint, /log/tile/...). Each run:
  - fetches the latest checkpoint and checks its signature with the pinned log key;
  - fetches only the level-0 tiles and entry bundles past what <dir> holds (full tiles, which
    never change, are never fetched again), and checks that each entry is an event's
    canonical JSON at its position whose leaf hash is the tile's;
  - checks that the leaves held followed by the new ones give the checkpoint's root, which
    proves the log only grew since the last run;
  - leaves <dir> an export bundle (events.jsonl, leaves.bin, checkpoints.jsonl, keys.json,
    manifest.json) that cuenta verify accepts, plus ${MIRROR_STATE}, the mirror's own state.
Nothing is written unless it verifies. An interrupted run is undone and resumed by the next.
If the log forked or rewrote its history (another root for a size held, a smaller checkpoint,
or new entries that do not extend the leaves held), the mirror stops, keeps both checkpoints
in <dir>/${FORK_EVIDENCE}/<time>/ and exits 3 naming the sizes and roots.

  --server <url>     the Cuenta server, e.g. https://cuenta.example (its tiles are under /log/)
  --dir <dir>        the mirror's folder: new or empty the first time, then the same each run
  --key <log-key>    the log's verifier key, as you obtained it from the log (a key string or
                     a file); its checkpoints must be signed by it
  --workers <n>      threads checking entries (default: one per CPU, at most 8; 0 = this
                     thread only); a run of fewer than ${CHECK_ELSEWHERE_FROM} tiles uses this thread
Exit codes: 0 mirrored, 1 failed or the log served something that does not verify,
2 bad arguments, 3 the log forked or rewrote its history.
`;

/** The exit code of a detected fork, distinct from "could not mirror". */
const FORKED = 3;

/** `cuenta mirror`: follow a log through its tiles into a verified export bundle. */
export function mirrorCommand(argv: string[]): Promise<number> {
  return runCommand('mirror', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, {
      server: { type: 'string' },
      dir: { type: 'string' },
      key: { type: 'string' },
      workers: { type: 'string' },
    });
    positionals(args, []);
    const server = requireFlag(values.server, '--server', 'the Cuenta server URL');
    const dir = requireFlag(values.dir, '--dir', 'the mirror folder');
    const keyArg = requireFlag(values.key, '--key', "the log's verifier key");
    const workers =
      integerFlag(values.workers, '--workers', 0, 64) ??
      Math.min(8, Math.max(1, os.availableParallelism()));
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new UsageError(`--server must be an http or https URL, got "${server}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`--server must be an http or https URL, got "${server}"`);
    }
    const logKey = await verifierKeyArg(keyArg, '--key');
    if (logKey.algorithm !== 'ed25519') {
      throw new UsageError('--key must be the log key (type 0x01), not a witness key (type 0x04)');
    }
    const started = performance.now();
    let summary;
    try {
      summary = await syncMirror({ server, dir, logKey, workers });
    } catch (error) {
      if (error instanceof ForkDetected) {
        process.stderr.write(`cuenta mirror: ${error.message}\n`);
        return FORKED;
      }
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    const added = summary.size - summary.previousSize;
    process.stdout.write(
      `mirrored ${summary.origin} into ${dir}: size ${count(summary.size)}, root ` +
        `${toBase64(summary.root)}; ${added === 0 ? 'nothing new' : `${counted(added, 'new event')}`}, ` +
        `${counted(summary.tilesFetched, 'tile')} fetched; ${seconds.toFixed(2)} s\n`,
    );
    return 0;
  });
}
