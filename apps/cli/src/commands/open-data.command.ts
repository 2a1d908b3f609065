import { thresholdsFromEnv } from '#oversight';
import { OpenDataPackages, PackageDirectoryError, writePackage } from '#open-data';
import { count, counted, parseFlags, positionals, runCommand, UsageError } from '../support/cli.js';
import { openLog } from '../support/open-log.js';
import { openReadSide } from '../support/read-side.js';

const USAGE = `usage: cuenta open-data <dir> [--wait-seconds N]

Writes Cuenta's open data as a Frictionless Data Package to <dir> (created if missing; it
must be empty): one UTF-8 CSV per resource (action-plans, commitments, milestones, budget,
evidence, history, evaluations, evaluation-answers, dialogue-spaces, dialogue-attendance,
improvement-actions, prioritization-results, assessments, assessment-evidence, red-flags),
then datapackage.json with the Table Schema of each and the cut: every row reflects exactly
the log's first <logSize> events, and the signed checkpoint it names covers them (one is signed with the log key if none does yet).
docs/open-data.md describes every resource and field.

The read models are brought up to the log's head first when no server is running them;
otherwise the command waits for the server's, at most --wait-seconds (default 60).

Reaches the log as the server does: DATABASE_URL, else the embedded PostgreSQL in
CUENTA_DATA_DIR; the log key from CUENTA_LOG_KEY_FILE (default <CUENTA_DATA_DIR>/keys/log.key)
and CUENTA_LOG_ORIGIN. Red flags are judged at the cut's instant with the thresholds of
CUENTA_RED_FLAG_THRESHOLDS, as the server judges them.
Exit codes: 0 written, 1 failed, 2 bad arguments or a directory that is not empty.
`;

/** `cuenta open-data <dir>`: the open-data package, written to a directory. */
export function openDataCommand(argv: string[]): Promise<number> {
  return runCommand('open-data', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, {
      'wait-seconds': { type: 'string' },
    });
    const [dir] = positionals(args, ['<dir>']);
    const waitSeconds = Number(values['wait-seconds'] ?? '60');
    if (!Number.isInteger(waitSeconds) || waitSeconds < 0) {
      throw new UsageError(
        `--wait-seconds must be a whole number of seconds, 0 or more (got ${values['wait-seconds']})`,
      );
    }
    const log = await openLog();
    try {
      const side = await openReadSide({ migrate: false });
      try {
        await side.runner.catchUpOnce();
        const packages = new OpenDataPackages({
          dataSource: side.dataSource,
          store: side.store,
          ledger: log.ledger,
          projections: side.runner.projections,
          waitMs: waitSeconds * 1000,
          redFlagThresholds: thresholdsFromEnv(process.env),
        });
        const written = await writePackage(packages, dir).catch((error: unknown) => {
          if (error instanceof PackageDirectoryError) throw new UsageError(error.message);
          throw error;
        });
        const { cut } = written;
        const rows = written.rows.reduce((sum, r) => sum + r.rows, 0);
        process.stdout.write(
          `wrote ${counted(written.rows.length, 'resource')} (${counted(rows, 'row')}) of ` +
            `${cut.origin} to ${dir}, cut at log size ${count(cut.logSize)}` +
            (cut.checkpoint
              ? `, covered by the checkpoint of size ${count(cut.checkpoint.size)} (root ${cut.checkpoint.rootHash})`
              : ' (the log is empty)') +
            '\n',
        );
        for (const r of written.rows)
          process.stdout.write(`  ${r.resource}.csv  ${counted(r.rows, 'row')}\n`);
        return 0;
      } finally {
        await side.close();
      }
    } finally {
      await log.close();
    }
  });
}
