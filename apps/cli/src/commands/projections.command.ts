import os from 'node:os';
import {
  InvalidInputError,
  UnknownProjectionError,
  type ParkedEvent,
  type ProjectionStatus,
} from '#platform';
import {
  counted,
  joinLines,
  parseFlags,
  positionals,
  runCommand,
  UsageError,
} from '../support/cli.js';
import { openReadSide } from '../support/read-side.js';

const USAGE = `usage: cuenta projections status
       cuenta projections park <projection> <position> --reason <text>

  status  each projection's checkpoint (the next position of the log it will apply), the
          event it is stalled at if any (the error, since when, how many attempts), and the
          events parked for it
  park    sets aside the event a projection is stalled at, so that it skips it and goes on:
          in the running server within a second, after restarts, and on every replay. Only
          the position it is stalled at is accepted (see status). The event, the error, the
          reason and your system user are recorded for good: the record cannot be changed or
          removed, and health reports the projection's parked events from then on, since its
          read model no longer reflects the whole log. The log itself keeps the event.

  --reason <text>  why the event is set aside, for whoever audits the read model (required)

Uses DATABASE_URL, or the embedded PostgreSQL in CUENTA_DATA_DIR, as the server does, and
writes nothing but the parked event: a database the server has not run on (or not migrated)
is refused.
Exit codes: 0 done, 1 refused (not stalled at that position) or failed, 2 bad arguments.
`;

/** `cuenta projections`: where the read models stand, and parking an event one cannot apply. */
export function projectionsCommand(argv: string[]): Promise<number> {
  return runCommand('projections', USAGE, argv, async () => {
    const [action, ...rest] = argv;
    if (action === 'status') return status(rest);
    if (action === 'park') return park(rest);
    throw new UsageError(
      action === undefined ? 'missing action (status or park)' : `unknown action "${action}"`,
    );
  });
}

async function status(argv: string[]): Promise<number> {
  positionals(parseFlags(argv, {}).positionals, []);
  const { runner, close } = await openReadSide({ migrate: false });
  try {
    for (const projection of await runner.status()) process.stdout.write(describe(projection));
  } finally {
    await close();
  }
  return 0;
}

async function park(argv: string[]): Promise<number> {
  const { values, positionals: args } = parseFlags(argv, { reason: { type: 'string' } });
  const [projection, positionText] = positionals(args, ['<projection>', '<position>']);
  const position = Number(positionText);
  if (!/^\d+$/.test(positionText) || !Number.isSafeInteger(position)) {
    throw new UsageError(
      `<position> must be a position in the log, a whole number 0 or more (got "${positionText}")`,
    );
  }
  if (values.reason === undefined) throw new UsageError('--reason <text> is required');
  if (values.reason.trim() === '') throw new UsageError('--reason must not be empty');
  const { runner, close } = await openReadSide({ migrate: false });
  try {
    const parked = await runner
      .park({ projection, position, reason: values.reason, parkedBy: systemUser() })
      .catch((error: unknown) => {
        if (error instanceof UnknownProjectionError || error instanceof InvalidInputError) {
          throw new UsageError(error.message);
        }
        throw error;
      });
    process.stdout.write(
      `parked position ${parked.position} of ${parked.projection} (${eventOf(parked)}): ` +
        'it skips that event from now on, also on replay\n',
    );
  } finally {
    await close();
  }
  return 0;
}

function describe({ projection, checkpoint, stall, parked }: ProjectionStatus): string {
  const stalled = stall
    ? `stalled at position ${stall.checkpoint} since ${stall.since.toISOString()} ` +
      `(${counted(stall.attempts, 'attempt')})`
    : 'not stalled';
  const lines = [
    `${projection}: checkpoint ${checkpoint}, ${stalled}, ${counted(parked.length, 'parked event')}`,
  ];
  if (stall) {
    lines.push(`  error: ${joinLines(stall.error)}`);
    lines.push(
      `  to skip it: cuenta projections park ${projection} ${stall.checkpoint} --reason "<why>"`,
    );
  }
  for (const event of parked) {
    const by = event.parkedBy === null ? '' : ` by ${event.parkedBy}`;
    lines.push(
      `  parked position ${event.position} (${eventOf(event)}) on ` +
        `${event.parkedAt.toISOString()}${by}`,
      `    reason: ${joinLines(event.reason)}`,
      `    error: ${joinLines(event.error)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function eventOf(event: ParkedEvent): string {
  return `${event.type} in ${event.stream}, event ${event.eventId}`;
}

/** Who runs the command, as the operating system knows them; null when it cannot say. */
function systemUser(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? null;
  }
}
