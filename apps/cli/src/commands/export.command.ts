import { toBase64 } from '#ledger';
import { exportBundle } from '#transparency';
import { count, counted, parseFlags, positionals, runCommand } from '../support/cli.js';
import { openLog } from '../support/open-log.js';

const USAGE = `usage: cuenta export <dir>

Writes the log, up to its latest signed checkpoint, to <dir> (created if missing; it must be
empty), so that anyone can check it with cuenta verify, offline:
  events.jsonl       every event in position order, one RFC 8785 canonical JSON per line
  checkpoints.jsonl  every signed checkpoint up to that size, with the witness cosignatures
  leaves.bin         the leaf hash the log stored for each event, 32 bytes each, so that
                     cuenta verify can name the exact event that differs
  keys.json          the log's verifier key and the witnesses' keys (informational)
  manifest.json      format, origin, counts and time of the export (written last)
When events are not yet covered by a checkpoint, one is signed first with the log key.

Reaches the log as the server does: DATABASE_URL, else the embedded PostgreSQL in
CUENTA_DATA_DIR; the log key from CUENTA_LOG_KEY_FILE (default <CUENTA_DATA_DIR>/keys/log.key)
and CUENTA_LOG_ORIGIN.

While writing, every event is compared with the leaf hash stored when it was appended. A
difference means the database was changed behind the log's back: the bundle is still
written, as evidence (cuenta verify names the event too), and the command exits 1 naming
the first such event.
Exit codes: 0 exported, 1 failed or the database does not match its tree, 2 bad arguments.
`;

/** `cuenta export <dir>`: the export bundle of the log. */
export function exportCommand(argv: string[]): Promise<number> {
  return runCommand('export', USAGE, argv, async () => {
    const { positionals: args } = parseFlags(argv, {});
    const [dir] = positionals(args, ['<dir>']);
    const log = await openLog();
    try {
      const summary = await exportBundle({ store: log.store, ledger: log.ledger, dir });
      const { last } = summary;
      process.stdout.write(
        `exported ${counted(summary.events, 'event')}, ${counted(summary.checkpoints, 'checkpoint')} ` +
          `and ${counted(summary.cosignatures, 'cosignature')} of ${summary.origin} to ${dir} ` +
          `(cut at the checkpoint of size ${count(last.size)}, root ${toBase64(last.rootHash)}` +
          `${summary.signedNow ? ', signed now' : ''})\n`,
      );
      if (summary.mismatch) {
        process.stderr.write(
          `cuenta export: the database does not match the tree it stored: ${summary.mismatch.first}` +
            `${summary.mismatch.count > 1 ? ` (and ${count(summary.mismatch.count - 1)} more)` : ''}; ` +
            `the bundle holds what the database holds, and cuenta verify will reject it\n`,
        );
        return 1;
      }
      return 0;
    } finally {
      await log.close();
    }
  });
}
