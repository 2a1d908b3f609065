import { UnknownProjectionError, type RebuildOutcome } from '#platform';
import { count, EXIT, joinLines, parseFlags, runCommand, UsageError } from '../support/cli.js';
import { openReadSide } from '../support/read-side.js';

const USAGE =
  'usage: cuenta replay [projection]\n' +
  '  Rebuilds read models from the log, one projection at a time: empties its tables, sets\n' +
  '  its checkpoint back to 0 and applies every event again (every projection when none is\n' +
  '  named), skipping the events parked with cuenta projections park. A projection that\n' +
  '  stops on an event is named on stderr, with the event, and the others are rebuilt all\n' +
  '  the same. When a server is running on the same database, its projection runner does\n' +
  '  the replaying and this command only resets. It applies pending read-model migrations\n' +
  "  first, as the server does (never the log's own).\n" +
  '  Uses DATABASE_URL, or the embedded PostgreSQL in CUENTA_DATA_DIR, as the server does.\n' +
  'Exit codes: 0 done, 1 failed (an event a projection cannot apply), 2 bad arguments.\n';

/** `cuenta replay [projection]`. Exit codes: 0 done, 2 bad arguments, 1 anything else. */
export function replayCommand(argv: string[]): Promise<number> {
  return runCommand('replay', USAGE, argv, async () => {
    const { positionals } = parseFlags(argv, {});
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const { runner, description, close } = await openReadSide({
      migrate: true,
      batchSize: 10_000,
    });
    try {
      const outcomes = await runner
        .rebuild(positionals.length === 0 ? undefined : positionals)
        .catch((error: unknown) => {
          if (error instanceof UnknownProjectionError) throw new UsageError(error.message);
          throw error;
        });
      report(outcomes, description);
      return outcomes.some((o) => o.status === 'stalled') ? EXIT.failed : EXIT.ok;
    } finally {
      await close();
    }
  });
}

/** A line on stdout per projection rebuilt or handed over, one on stderr per stall. */
function report(outcomes: RebuildOutcome[], description: string): void {
  const handedOver = outcomes.flatMap((o) => (o.status === 'handed-over' ? [o.projection] : []));
  for (const outcome of outcomes) {
    if (outcome.status === 'rebuilt') {
      const seconds = outcome.ms / 1000;
      process.stdout.write(
        `replayed ${outcome.projection}: ${count(outcome.events)} events in ` +
          `${seconds.toFixed(2)} s ` +
          `(${count(Math.round(outcome.events / Math.max(seconds, 1e-6)))} events/s)\n`,
      );
    } else if (outcome.status === 'stalled') {
      const { error } = outcome;
      process.stderr.write(
        `cuenta replay: ${joinLines(error.message).replace(/\.$/, '')}; it stops there: fix the ` +
          `cause, or set the event aside with cuenta projections park ${error.projection} ` +
          `${error.position} --reason "<why>"\n`,
      );
    }
  }
  if (handedOver.length > 0) {
    process.stdout.write(
      `reset ${handedOver.join(', ')}; the active projection runner (a running server on ` +
        `${description}) is replaying ${handedOver.length === 1 ? 'it' : 'them'} from the log\n`,
    );
  }
}
