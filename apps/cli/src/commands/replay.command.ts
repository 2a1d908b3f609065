import { performance } from 'node:perf_hooks';
import { ProjectionStalledError } from '#platform';
import { CommandFailure, count, parseFlags, runCommand, UsageError } from '../support/cli.js';
import { openReadSide } from '../support/read-side.js';

const USAGE =
  'usage: cuenta replay [projection]\n' +
  "  Rebuilds read models from the log: empties the projection's tables, sets its\n" +
  '  checkpoint back to 0 and applies every event again (every projection when none is\n' +
  '  named), skipping the events parked with cuenta projections park. When a server is\n' +
  '  running on the same database, its projection runner does the replaying and this\n' +
  '  command only resets. It applies pending read-model migrations first, as the server\n' +
  "  does (never the log's own).\n" +
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
      const known = runner.projections.map((p) => p.name);
      const names = positionals.length === 0 ? known : positionals;
      for (const name of names) {
        if (!known.includes(name)) {
          throw new UsageError(`no projection named "${name}" (known: ${known.join(', ')})`);
        }
      }
      for (const name of names) await runner.reset(name);
      const started = performance.now();
      const applied = await runner.catchUpOnce(names).catch((error: unknown) => {
        if (!(error instanceof ProjectionStalledError)) throw error;
        throw new CommandFailure(
          `${error.message.replace(/\.$/, '')}; it stops there: fix the cause, or set the ` +
            `event aside with cuenta projections park ${error.projection} ${error.position} ` +
            '--reason "<why>"',
        );
      });
      if (applied === undefined) {
        process.stdout.write(
          `reset ${names.join(', ')}; the active projection runner (a running server on ` +
            `${description}) is replaying ${names.length === 1 ? 'it' : 'them'} from the log\n`,
        );
        return;
      }
      const seconds = (performance.now() - started) / 1000;
      for (const [name, events] of Object.entries(applied)) {
        process.stdout.write(
          `replayed ${name}: ${count(events)} events in ${seconds.toFixed(2)} s ` +
            `(${count(Math.round(events / Math.max(seconds, 1e-6)))} events/s)\n`,
        );
      }
    } finally {
      await close();
    }
  });
}
