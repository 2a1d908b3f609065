import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BUNDLE_FILES, VerificationError } from '#ledger';
import {
  prioritizationStream,
  tallyPrioritization,
  UnreadableTallyEvent,
  type BordaStanding,
  type TallyEvent,
} from '#participation/tally';
import { verifyBundleDir } from '#transparency/standalone';
import {
  CommandFailure,
  counted,
  fileProblem,
  parseFlags,
  positionals,
  runCommand,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';

const USAGE = `usage: cuenta tally <dir> <prioritization-id> [--key <verifier-key>]

Counts a topic prioritization again, offline, from an export bundle (cuenta export): first
verifies the bundle as cuenta verify does (every event, checkpoint and signature), then reads
the exercise's events from it, counts each participant's last ballot with the Borda rule the
exercise published (docs/participation.md), and compares that count with the result the
exercise recorded when it closed. Prints both counts.

  --key <verifier-key>  the log's key, as you obtained it from the log (a key string or a
                        file). Without it the key in the bundle's keys.json is used, which
                        proves only that the bundle is self-consistent: pin the key.
Exit codes: 0 the recount matches the recorded result; 1 it does not, the exercise is not
closed in the bundle, or the bundle does not verify; 2 bad arguments (an exercise the
bundle does not hold included).
`;

/** `cuenta tally <dir> <id>`: the offline recount of a prioritization exercise. */
export function tallyCommand(argv: string[]): Promise<number> {
  return runCommand('tally', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, { key: { type: 'string' } });
    const [dir, prioritizationId] = positionals(args, ['<dir>', '<prioritization-id>']);
    const logKey = values.key === undefined ? undefined : await verifierKeyArg(values.key, '--key');
    if (logKey && logKey.algorithm !== 'ed25519') {
      throw new UsageError('--key must be the log key (type 0x01), not a witness key (type 0x04)');
    }
    await assertFolder(dir);
    try {
      const verified = await verifyBundleDir({ dir, logKey, workers: 0 });
      process.stdout.write(
        `verified ${dir}: ${counted(verified.summary.events, 'event')} of ${verified.logKey.name}` +
          `${verified.logKeyPinned ? '' : ' (log key from keys.json, NOT pinned: pass --key)'}\n`,
      );
    } catch (error) {
      if (error instanceof VerificationError) {
        throw new CommandFailure(
          `${dir} does not verify, so nothing in it is counted: ${error.message}`,
        );
      }
      throw error;
    }

    const events = await streamEvents(dir, prioritizationStream(prioritizationId));
    let tally;
    try {
      tally = tallyPrioritization(events);
    } catch (error) {
      if (error instanceof UnreadableTallyEvent) throw new CommandFailure(error.message);
      throw error;
    }
    if (tally.outcome === 'not_found') {
      throw new UsageError(`the bundle holds no prioritization ${prioritizationId}`);
    }
    const { exercise, recount } = tally;
    const out = [
      `prioritization ${prioritizationId}: ${exercise.title}`,
      `method: ${exercise.method}; ${counted(exercise.topics.length, 'candidate topic')}; ` +
        `${counted(recount.countedBallots.length, 'ballot')} counted (each participant's last)`,
      'recount from the log:',
      ...standingLines(recount.standings, exercise.topics),
    ];
    if (tally.outcome === 'not_closed') {
      process.stdout.write(`${out.join('\n')}\n`);
      throw new CommandFailure(
        `prioritization ${prioritizationId} is not closed in this bundle: no recorded result to compare with`,
      );
    }
    if (tally.outcome === 'match') {
      out.push(`MATCH: the recount is the result recorded when the exercise closed`);
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    }
    out.push('recorded when the exercise closed:');
    out.push(...standingLines(tally.recorded?.standings ?? [], exercise.topics));
    process.stdout.write(`${out.join('\n')}\n`);
    throw new CommandFailure(
      `MISMATCH: the result recorded for ${prioritizationId} is not the recount of its ballots`,
    );
  });
}

function standingLines(
  standings: readonly BordaStanding[],
  topics: readonly { id: string; title: string }[],
): string[] {
  const titles = new Map(topics.map((topic) => [topic.id, topic.title]));
  return standings.map(
    (line) =>
      `  ${String(line.rank).padStart(2)}. ${line.topicId} (${titles.get(line.topicId) ?? '?'}): ` +
      `${counted(line.points, 'point')}, ${counted(line.firstPlaces, 'first place')}`,
  );
}

/** The events of `stream` in a verified bundle's events.jsonl, in log order. */
async function streamEvents(dir: string, stream: string): Promise<TallyEvent[]> {
  const events: TallyEvent[] = [];
  const lines = createInterface({
    input: createReadStream(path.join(dir, BUNDLE_FILES.events), { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  // A quick test before parsing: the canonical JSON of an event of the stream holds its name.
  const needle = JSON.stringify(stream);
  for await (const line of lines) {
    if (!line.includes(needle)) continue;
    const envelope = JSON.parse(line) as TallyEvent & { stream: string };
    if (envelope.stream !== stream) continue;
    events.push({
      id: envelope.id,
      type: envelope.type,
      schemaVersion: envelope.schemaVersion,
      data: envelope.data,
    });
  }
  return events;
}

async function assertFolder(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`${dir} is not a folder`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`the bundle folder ${dir} ${fileProblem(error)}`);
  }
}
