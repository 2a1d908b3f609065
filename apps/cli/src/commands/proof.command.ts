import { parseFlags, positionals, runCommand, UsageError } from '../support/cli.js';
import { openLog } from '../support/open-log.js';

const USAGE = `usage: cuenta proof <event-id>
       cuenta proof --position <n>

Prints the offline proof (c2sp.org/tlog-proof@v1) that the event is in the log: its
position, the inclusion proof, and the smallest signed checkpoint that covers it with the
witness cosignatures it has. Keep it with the event (one line of events.jsonl, or the event
as the API serves it raw): cuenta verify-proof checks the pair with no access to the log.
A checkpoint is signed first when none covers the event yet.

Reaches the log as the server does (DATABASE_URL or CUENTA_DATA_DIR; CUENTA_LOG_KEY_FILE).
Exit codes: 0 printed, 1 no such event or the log cannot be reached, 2 bad arguments.
`;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `cuenta proof <event-id>`: a tlog-proof from the log. */
export function proofCommand(argv: string[]): Promise<number> {
  return runCommand('proof', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, { position: { type: 'string' } });
    let target: { eventId?: string; position?: number };
    if (values.position !== undefined) {
      positionals(args, []);
      if (!/^\d+$/.test(values.position) || !Number.isSafeInteger(Number(values.position))) {
        throw new UsageError(
          `--position must be a non-negative integer (got "${values.position}")`,
        );
      }
      target = { position: Number(values.position) };
    } else {
      const [eventId] = positionals(args, ['<event-id>']);
      if (!UUID.test(eventId)) throw new UsageError(`<event-id> must be a UUID (got "${eventId}")`);
      target = { eventId: eventId.toLowerCase() };
    }
    const log = await openLog();
    try {
      process.stdout.write(await log.ledger.tlogProof(target));
    } finally {
      await log.close();
    }
    return 0;
  });
}
