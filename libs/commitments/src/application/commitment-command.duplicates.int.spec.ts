import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore, type EventStore, type ReadStreamOptions } from '#event-store';
import { InvalidInputError } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { cartagena2023 } from '../../demo/cartagena-2023.js';
import {
  commitmentCodeStream,
  commitmentStream,
  type CommitmentCommand,
  type RegisterCommitment,
} from '../domain/index.js';
import {
  CommitmentCommandHandler,
  type CommandIssuer,
  type CommandResult,
} from './commitment-command.handler.js';

// The same command sent many times at once (a client's retries, a load balancer's), and
// commands the event store would refuse: what each leaves in the log, and what each answers.

const NOW = new Date('2024-01-15T12:00:00.000Z');
const system: CommandIssuer = {
  kind: 'trusted',
  actor: { subject: 'test', role: 'administrator' },
};

const register = (commitmentId: string, code: string): CommitmentCommand => ({
  type: 'RegisterCommitment',
  data: { ...cartagena2023, commitmentId, code },
});

/**
 * The store, with `between` run once right after the first read of `stream` has been
 * answered: the command goes on with what it read before `between` wrote.
 */
function afterFirstRead(
  store: EventStore,
  stream: string,
  between: () => Promise<unknown>,
): EventStore {
  let done = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'readStream') return Reflect.get(target, property, receiver);
      return async (from: string, options?: ReadStreamOptions) => {
        const events = await target.readStream(from, options);
        if (from === stream && !done) {
          done = true;
          await between();
        }
        return events;
      };
    },
  });
}

/** Every event in the log, as `type stream` lines, of the streams named. */
async function logOf(store: EventStore, streams: string[]): Promise<string[]> {
  const events = await store.readAll({ filter: { streams } });
  return events.map((event) => `${event.type} ${event.stream}@${event.streamVersion}`);
}

const withoutReplayed = ({ replayed: _replayed, ...rest }: CommandResult) => rest;

describe('CommitmentCommandHandler with concurrent duplicates', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let other: PostgresEventStore;
  let handler: CommitmentCommandHandler;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url, pollMs: 200 });
    // A second store on the same database, as a second API process would open.
    other = await PostgresEventStore.open({ connectionString: database.url, pollMs: 200 });
    handler = new CommitmentCommandHandler(store, { now: () => NOW });
  });

  afterAll(async () => {
    await other.close();
    await store.close();
    await database.drop();
  });

  it('writes no second claim for a duplicate that read the commitment before the first landed', async () => {
    // The duplicate reads an empty commitment stream; the first request then runs to the
    // end; the duplicate reads the code's stream with the first's claim in it.
    const request = { command: register('dup-1', 'CTG-Dup-1'), issuer: system, commandId: 'c-1' };
    let first: CommandResult | undefined;
    const late = new CommitmentCommandHandler(
      afterFirstRead(store, commitmentStream('dup-1'), async () => {
        first = await handler.handle(request);
      }),
      { now: () => NOW },
    );

    const duplicate = await late.handle(request);

    expect(
      await logOf(store, [commitmentStream('dup-1'), commitmentCodeStream('CTG-Dup-1')]),
    ).toEqual([
      'CommitmentCodeClaimed commitment.code-ctg-dup-1@1',
      'CommitmentRegistered commitment-dup-1@1',
    ]);
    expect(first?.replayed).toBe(false);
    expect(duplicate).toEqual({ ...first, replayed: true });
  });

  it('says replayed when the store recognised the append as a retry of the first', async () => {
    await handler.handle({ command: register('dup-2', 'CTG-Dup-2'), issuer: system });
    const request = {
      command: {
        type: 'ReviseCommitment',
        data: { commitmentId: 'dup-2', changes: { title: 'Otro título' }, reason: 'Más claro' },
      } as CommitmentCommand,
      issuer: system,
      commandId: 'c-2',
    };
    let first: CommandResult | undefined;
    const late = new CommitmentCommandHandler(
      afterFirstRead(store, commitmentStream('dup-2'), async () => {
        first = await handler.handle(request);
      }),
      { now: () => NOW },
    );

    const duplicate = await late.handle(request);

    expect(first).toMatchObject({ streamVersion: 2, replayed: false });
    expect(duplicate).toEqual({ ...first, replayed: true });
    expect(await store.readStream(commitmentStream('dup-2'))).toHaveLength(2);
  });

  it('answers as a replay when the first stored the events at another version', async () => {
    // The duplicate read version 1; another command then wrote version 2 and the first
    // request version 3, so the store finds the duplicate's ids where it did not ask.
    await handler.handle({ command: register('dup-3', 'CTG-Dup-3'), issuer: system });
    const revise = (title: string): CommitmentCommand => ({
      type: 'ReviseCommitment',
      data: { commitmentId: 'dup-3', changes: { title }, reason: 'Más claro' },
    });
    const request = { command: revise('Título tres'), issuer: system, commandId: 'c-3' };
    let first: CommandResult | undefined;
    const late = new CommitmentCommandHandler(
      afterFirstRead(store, commitmentStream('dup-3'), async () => {
        await handler.handle({ command: revise('Otro título'), issuer: system });
        first = await handler.handle(request);
      }),
      { now: () => NOW },
    );

    const duplicate = await late.handle(request);

    expect(first).toMatchObject({ streamVersion: 3, replayed: false });
    expect(duplicate).toEqual({ ...first, replayed: true });
    expect(await store.readStream(commitmentStream('dup-3'))).toHaveLength(3);
  });

  it('records 20 identical registrations over two processes once, and one says it wrote', async () => {
    const handlers = [handler, new CommitmentCommandHandler(other, { now: () => NOW })];
    for (let burst = 1; burst <= 3; burst++) {
      const id = `burst-${burst}`;
      const request = {
        command: register(id, `CTG-Burst-${burst}`),
        issuer: system,
        commandId: id,
      };

      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => handlers[i % 2].handle(request)),
      );

      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(new Set(results.map((r) => JSON.stringify(withoutReplayed(r)))).size).toBe(1);
      expect(
        await logOf(store, [commitmentStream(id), commitmentCodeStream(`CTG-Burst-${burst}`)]),
      ).toEqual([
        `CommitmentCodeClaimed commitment.code-ctg-burst-${burst}@1`,
        `CommitmentRegistered commitment-${id}@1`,
      ]);
    }
  });

  it('lists every event a registration appended, its code claim included', async () => {
    const result = await handler.handle({
      command: register('listed-1', 'CTG-Listed-1'),
      issuer: system,
      commandId: 'listed-1',
    });
    const again = await handler.handle({
      command: register('listed-1', 'CTG-Listed-1'),
      issuer: system,
      commandId: 'listed-1',
    });
    const stored = await store.readAll({
      filter: { streams: [commitmentStream('listed-1'), commitmentCodeStream('CTG-Listed-1')] },
    });

    expect(result.events).toEqual(
      stored.map((event) => ({
        id: event.id,
        position: event.position,
        stream: event.stream,
        streamVersion: event.streamVersion,
        type: event.type,
      })),
    );
    expect(result.events.map((event) => event.type)).toEqual([
      'CommitmentCodeClaimed',
      'CommitmentRegistered',
    ]);
    expect(result.positions).toEqual([stored[1].position]);
    expect(again).toEqual({ ...result, replayed: true });
  });

  it('lists the claim of the new code and the release of the old one of a revision', async () => {
    await handler.handle({ command: register('listed-2', 'CTG-Listed-2'), issuer: system });
    const revise: CommitmentCommand = {
      type: 'ReviseCommitment',
      data: { commitmentId: 'listed-2', changes: { code: 'CTG-Listed-2B' }, reason: 'Unificar' },
    };

    const result = await handler.handle({ command: revise, issuer: system, commandId: 'rev-2' });
    const again = await handler.handle({ command: revise, issuer: system, commandId: 'rev-2' });

    expect(
      result.events.map((event) => `${event.type} ${event.stream}@${event.streamVersion}`),
    ).toEqual([
      'CommitmentCodeClaimed commitment.code-ctg-listed-2b@1',
      'CommitmentRevised commitment-listed-2@2',
      'CommitmentCodeReleased commitment.code-ctg-listed-2@2',
    ]);
    expect(result.events.map((event) => event.position)).toEqual(
      [...result.events.map((event) => event.position)].sort((a, b) => a - b),
    );
    expect(again).toEqual({ ...result, replayed: true });
  });

  it.each([
    ['a NUL character', 'Ca\u0000o'],
    ['a lone surrogate', 'Ca\ud800o'],
  ])(
    'refuses a title with %s as an input error on title, writing nothing',
    async (_what, title) => {
      const head = await store.head();
      const command = register('unstorable-1', 'CTG-Unstorable-1') as RegisterCommitment;

      const error = await handler
        .handle({ command: { ...command, data: { ...command.data, title } }, issuer: system })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'title' });
      expect(await store.head()).toBe(head);
    },
  );

  it('refuses a registration too large for the log to serve, writing nothing', async () => {
    const head = await store.head();
    const command = register('too-large-1', 'CTG-Too-Large-1') as RegisterCommitment;
    // Four texts within the domain's own limit, together past what one event may hold.
    const long = 'x'.repeat(19_000);
    const data = { ...command.data, problem: long, statusQuo: long, longTermGoal: long };

    const error = await handler
      .handle({ command: { ...command, data: { ...data, action: long } }, issuer: system })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'input' });
    expect(await store.head()).toBe(head);
  });

  it('names the nested input field that holds a NUL character', async () => {
    await handler.handle({ command: register('unstorable-2', 'CTG-Unstorable-2'), issuer: system });
    const head = await store.head();

    const error = await handler
      .handle({
        command: {
          type: 'ReviseCommitment',
          data: {
            commitmentId: 'unstorable-2',
            changes: { code: 'CTG-Unstorable-2B', stakeholders: ['FUNCICAR', 'Uno\u0000'] },
            reason: 'Sumar un actor',
          },
        },
        issuer: system,
      })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'changes.stakeholders.1' });
    expect(await store.head()).toBe(head);
  });

  it('refuses a revision whose reason the log cannot hold, before claiming its new code', async () => {
    await handler.handle({ command: register('long-1', 'CTG-Long-1'), issuer: system });
    const head = await store.head();

    const error = await handler
      .handle({
        command: {
          type: 'ReviseCommitment',
          data: {
            commitmentId: 'long-1',
            changes: { code: 'CTG-Long-1B' },
            reason: 'r'.repeat(2001),
          },
        },
        issuer: system,
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    expect(await store.head()).toBe(head);
  });
});
