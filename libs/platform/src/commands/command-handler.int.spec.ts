import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import { DomainError, InvalidCommand, type Decider } from '#kernel';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import type { Actor } from '../auth/actor.js';
import { ForbiddenError } from '../auth/auth.errors.js';
import { CommandIdReusedError } from './command.errors.js';
import {
  CommandHandler,
  type CommandIssuer,
  type CommandStreamType,
  type SideWriteRun,
} from './command-handler.js';
import { readStreamUpTo } from './event-stream.js';
import { StreamTimeline } from './stream-timeline.js';

// The generic handler on a stream type that is not a commitment: a tally an agency keeps.
// What commitments add (code claims, the lead agency) is tested with them.

type TallyCommand =
  | { type: 'OpenTally'; data: { tallyId: string; agency: string } }
  | { type: 'Count'; data: { tallyId: string; by: number; reason?: string } };
type TallyEvent =
  | { type: 'TallyOpened'; data: { tallyId: string; agency: string } }
  | { type: 'Counted'; data: { tallyId: string; by: number } };
type TallyState = { status: 'none' } | { status: 'open'; agency: string; total: number };

class TallyNotOpen extends DomainError {
  readonly code = 'TALLY_NOT_OPEN';
  readonly category = 'CONFLICT';
}

const tallyDecider: Decider<TallyCommand, TallyEvent, TallyState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    if (command.type === 'OpenTally') return [{ type: 'TallyOpened', data: command.data }];
    if (state.status !== 'open') throw new TallyNotOpen('the tally is not open');
    if (!Number.isInteger(command.data.by)) {
      throw new InvalidCommand({ field: 'by', rule: 'integer' });
    }
    return [{ type: 'Counted', data: { tallyId: command.data.tallyId, by: command.data.by } }];
  },
  evolve(state, event) {
    if (event.type === 'TallyOpened')
      return { status: 'open', agency: event.data.agency, total: 0 };
    return state.status === 'open' ? { ...state, total: state.total + event.data.by } : state;
  },
};

/** Records which side-write calls a run made. */
function recordingSideWrites(calls: string[]) {
  return {
    start(): SideWriteRun<TallyState> {
      return {
        appended: [],
        prepare: async () => void calls.push('prepare'),
        recorded: async () => void calls.push('recorded'),
        refused: async () => void calls.push('refused'),
      };
    },
    writtenBy: async () => [],
  };
}

function tallies(
  calls: string[] = [],
): CommandStreamType<TallyCommand, TallyEvent, TallyState, TallyEvent & { id: string }> {
  return {
    name: 'tally',
    streamOf: (id) => `tally-${id}`,
    decider: tallyDecider,
    schemaVersions: { TallyOpened: 1, Counted: 1 },
    upcasters: 'TALLY_UPCASTERS',
    streamIdOf: (command) => command.data.tallyId,
    agencyOf: (state) => (state.status === 'open' ? state.agency : undefined),
    agencyOfNew: (command) => (command.type === 'OpenTally' ? command.data.agency : undefined),
    sideWrites: recordingSideWrites(calls),
  };
}

const trusted: CommandIssuer = { kind: 'trusted', actor: { subject: 'system', role: 'system' } };
const steward = (agencies: string[]): CommandIssuer => ({
  kind: 'caller',
  actor: {
    subject: 'eva',
    authenticated: true,
    roles: ['steward'],
    agencies,
    role: 'steward',
  } as Actor,
});
const NOW = new Date('2024-05-01T10:00:00.000Z');

describe('CommandHandler for any stream type, on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url, pollMs: 200 });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const open = (
    handler: CommandHandler<TallyCommand, TallyEvent, TallyState, TallyEvent & { id: string }>,
    tallyId: string,
  ) =>
    handler.handle({
      command: { type: 'OpenTally', data: { tallyId, agency: 'hacienda' } },
      issuer: trusted,
    });

  it('appends the decided events and names the stream in its result', async () => {
    const handler = new CommandHandler(store, tallies(), { now: () => NOW });
    await open(handler, 't1');
    const result = await handler.handle({
      command: { type: 'Count', data: { tallyId: 't1', by: 3, reason: ' a recount ' } },
      issuer: steward(['hacienda']),
      commandId: 'count-t1-3',
    });
    const events = await readStreamUpTo(store, 'tally-t1');

    expect(result).toMatchObject({ streamType: 'tally', streamId: 't1', streamVersion: 2 });
    expect(result.replayed).toBe(false);
    expect(events.map((e) => [e.type, e.schemaVersion, e.data])).toEqual([
      ['TallyOpened', 1, { tallyId: 't1', agency: 'hacienda' }],
      ['Counted', 1, { tallyId: 't1', by: 3 }],
    ]);
    expect(events[1].metadata).toMatchObject({
      actor: { subject: 'eva', role: 'steward', agency: 'hacienda' },
      occurredAt: NOW.toISOString(),
      commandId: 'count-t1-3',
      reason: 'a recount',
    });
  });

  it('answers a retried command id with the first result, and refuses it for another command', async () => {
    const handler = new CommandHandler(store, tallies(), { now: () => NOW });
    await open(handler, 't2');
    const request = {
      command: { type: 'Count', data: { tallyId: 't2', by: 1 } } as TallyCommand,
      issuer: trusted,
      commandId: 'count-t2',
    };
    const first = await handler.handle(request);
    const again = await handler.handle(request);
    const other = await handler
      .handle({ ...request, command: { type: 'Count', data: { tallyId: 't2', by: 2 } } })
      .catch((error: unknown) => error);

    expect(again).toEqual({ ...first, replayed: true });
    expect(other).toBeInstanceOf(CommandIdReusedError);
    expect((other as Error).message).toContain('on this tally');
    expect(await readStreamUpTo(store, 'tally-t2')).toHaveLength(2);
  });

  it('retries on a concurrent append and decides again on the new state', async () => {
    const handler = new CommandHandler(store, tallies(), { now: () => NOW });
    await open(handler, 't3');
    const counts = [1, 2, 3, 4].map((by) =>
      handler.handle({ command: { type: 'Count', data: { tallyId: 't3', by } }, issuer: trusted }),
    );
    const results = await Promise.all(counts);
    const timeline = new StreamTimeline(store, tallies());

    expect(results.map((r) => r.streamVersion).sort()).toEqual([2, 3, 4, 5]);
    expect((await timeline.snapshot('t3')).state).toEqual({
      status: 'open',
      agency: 'hacienda',
      total: 10,
    });
  });

  it('appends nothing for a refused command, and tells the side writes it was refused', async () => {
    const calls: string[] = [];
    const handler = new CommandHandler(store, tallies(calls), { now: () => NOW });
    const notOpen = await handler
      .handle({ command: { type: 'Count', data: { tallyId: 't4', by: 1 } }, issuer: trusted })
      .catch((error: unknown) => error);
    await open(handler, 't4');
    const fraction = await handler
      .handle({ command: { type: 'Count', data: { tallyId: 't4', by: 0.5 } }, issuer: trusted })
      .catch((error: unknown) => error);

    expect(notOpen).toBeInstanceOf(TallyNotOpen);
    expect(fraction).toMatchObject({ field: 'by', rule: 'integer' });
    expect(calls).toEqual(['refused', 'prepare', 'recorded', 'refused']);
    expect(await readStreamUpTo(store, 'tally-t4')).toHaveLength(1);
  });

  it("holds stewards to the stream's agency", async () => {
    const handler = new CommandHandler(store, tallies(), { now: () => NOW });
    await open(handler, 't5');
    const foreign = await handler
      .handle({
        command: { type: 'Count', data: { tallyId: 't5', by: 1 } },
        issuer: steward(['salud']),
      })
      .catch((error: unknown) => error);

    expect(foreign).toBeInstanceOf(ForbiddenError);
    expect(await readStreamUpTo(store, 'tally-t5')).toHaveLength(1);
  });
});
