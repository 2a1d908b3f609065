import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  PostgresEventStore,
  VersionConflictError,
  type EventStore,
  type NewEvent,
} from '#event-store';
import { CommandIdReusedError, ForbiddenError, InvalidInputError, type Actor } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import {
  CARTAGENA_2023_ID,
  cartagena2023,
  cartagena2023History,
} from '../../demo/cartagena-2023.js';
import {
  CommitmentClosed,
  commitmentStream,
  InvalidCommand,
  type CommitmentCommand,
} from '../domain/index.js';
import { CommitmentCommandHandler, type CommandIssuer } from './commitment-command.handler.js';
import { foldRecorded, readCommitmentStream } from './commitment-stream.js';

/** The demo's lead agency id, which its stewards' tokens carry. */
const AGENCY = 'alcaldia-cartagena';
const NOW = new Date('2024-01-15T12:00:00.000Z');

const steward = (agencies: string[], subject = 'ana-planeacion'): CommandIssuer => ({
  kind: 'caller',
  actor: { subject, authenticated: true, roles: ['steward'], agencies, role: 'steward' } as Actor,
});

/** A commitment of its own per test, registered, with one milestone and published. */
async function publishedCommitment(handler: CommitmentCommandHandler, id: string) {
  const issuer = steward([AGENCY]);
  const run = (command: CommitmentCommand) => handler.handle({ command, issuer });
  await run({ type: 'RegisterCommitment', data: { ...cartagena2023, commitmentId: id, code: id } });
  await run({
    type: 'AddMilestone',
    data: {
      commitmentId: id,
      milestoneId: 'm1',
      title: 'Estrategia',
      responsibleOffice: 'Secretaría de Planeación',
      plannedStart: '2023-01',
      plannedEnd: '2023-06',
    },
  });
  await run({ type: 'PublishCommitment', data: { commitmentId: id } });
}

const progress = (commitmentId: string, percent: number): CommitmentCommand => ({
  type: 'ReportProgress',
  data: { commitmentId, milestoneId: 'm1', percent },
});

/** The store, with `before` run ahead of each of the first `times` appends (a rival writer). */
function withRival(store: EventStore, before: () => Promise<unknown>, times: number): EventStore {
  let left = times;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver);
      return async (stream: string, events: NewEvent[], expected: number) => {
        if (left-- > 0) await before();
        return target.append(stream, events, expected);
      };
    },
  });
}

describe('CommitmentCommandHandler on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let handler: CommitmentCommandHandler;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url, pollMs: 200 });
    handler = new CommitmentCommandHandler(store, { now: () => NOW });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('records the Cartagena history with its actors, business times, reasons and command ids', async () => {
    for (const step of cartagena2023History) {
      await handler.handle({
        command: step.command,
        issuer: { kind: 'trusted', actor: step.actor },
        commandId: step.commandId,
        occurredAt: new Date(step.occurredAt),
      });
    }
    const events = await readCommitmentStream(store, CARTAGENA_2023_ID);
    const state = foldRecorded(events);
    const rescheduled = events.find((e) => e.type === 'MilestoneRescheduled');

    expect(state.status).toBe('in_progress');
    expect(state.status !== 'empty' && state.milestones.map((m) => m.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
      'in_progress',
      'in_progress',
    ]);
    expect(rescheduled?.metadata).toMatchObject({
      actor: cartagena2023History[0].actor,
      occurredAt: '2023-02-20T14:00:00.000Z',
      commandId: expect.stringMatching(/^demo-cartagena-cuenta-2023-/),
      reason: expect.stringContaining('La consulta de priorización cierra'),
    });
    expect(events[0].metadata.occurredAt).toBe('2023-01-10T14:00:00.000Z');
  });

  it('answers a retried command with the first result and writes nothing', async () => {
    await publishedCommitment(handler, 'idem-1');
    const request = {
      command: progress('idem-1', 40),
      issuer: steward([AGENCY]),
      commandId: 'report-idem-1',
    };
    const first = await handler.handle(request);
    const head = await store.head();
    const again = await handler.handle(request);
    const raced = await Promise.all([handler.handle(request), handler.handle(request)]);

    expect(first).toMatchObject({ streamVersion: 5, replayed: false });
    expect(first.positions).toHaveLength(2); // CommitmentStarted, then the report
    expect(again).toEqual({ ...first, replayed: true });
    expect(raced).toEqual([again, again]);
    expect(await store.head()).toBe(head);
  });

  it('stores a command once when the same command id races with itself', async () => {
    await publishedCommitment(handler, 'idem-2');
    const request = {
      command: progress('idem-2', 10),
      issuer: steward([AGENCY]),
      commandId: 'report-idem-2',
    };
    const results = await Promise.all([1, 2, 3].map(() => handler.handle(request)));

    expect(new Set(results.map((r) => JSON.stringify(r.positions))).size).toBe(1);
    expect(await readCommitmentStream(store, 'idem-2')).toHaveLength(5);
  });

  it('refuses a command id reused for a different command', async () => {
    await publishedCommitment(handler, 'idem-3');
    const issuer = steward([AGENCY]);
    await handler.handle({ command: progress('idem-3', 10), issuer, commandId: 'same-id' });

    const error = await handler
      .handle({ command: progress('idem-3', 20), issuer, commandId: 'same-id' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CommandIdReusedError);
    expect(error).toMatchObject({ code: 'COMMAND_ID_REUSED', commandId: 'same-id' });
  });

  it('decides again on the new state when another writer got in first', async () => {
    await publishedCommitment(handler, 'conflict-1');
    const rivalHandler = new CommitmentCommandHandler(store, { now: () => NOW });
    const racing = new CommitmentCommandHandler(
      withRival(
        store,
        () =>
          rivalHandler.handle({ command: progress('conflict-1', 30), issuer: steward([AGENCY]) }),
        2,
      ),
      { now: () => NOW },
    );

    const result = await racing.handle({
      command: progress('conflict-1', 50),
      issuer: steward([AGENCY]),
    });
    const events = await readCommitmentStream(store, 'conflict-1');

    // Two rival reports got in first (the first of them started the commitment); the third
    // attempt was decided on their state, so it records no second CommitmentStarted.
    expect(result).toMatchObject({ streamVersion: 7, replayed: false });
    expect(events.map((e) => e.type).slice(3)).toEqual([
      'CommitmentStarted',
      'MilestoneProgressReported',
      'MilestoneProgressReported',
      'MilestoneProgressReported',
    ]);
    expect(events.map((e) => e.data.percent).slice(4)).toEqual([30, 30, 50]);
  });

  it('reports the version conflict once its attempts are used up, writing nothing of its own', async () => {
    await publishedCommitment(handler, 'conflict-2');
    const rivalHandler = new CommitmentCommandHandler(store, { now: () => NOW });
    const racing = new CommitmentCommandHandler(
      withRival(
        store,
        () =>
          rivalHandler.handle({ command: progress('conflict-2', 30), issuer: steward([AGENCY]) }),
        10,
      ),
      { now: () => NOW, maxAttempts: 3 },
    );

    const error = await racing
      .handle({ command: progress('conflict-2', 90), issuer: steward([AGENCY]) })
      .catch((e: unknown) => e);
    const percents = (await readCommitmentStream(store, 'conflict-2'))
      .filter((e) => e.type === 'MilestoneProgressReported')
      .map((e) => e.data.percent);

    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ stream: commitmentStream('conflict-2') });
    expect(percents).toEqual([30, 30, 30]);
  });

  it('reports a stale expected version at once, without retrying', async () => {
    await publishedCommitment(handler, 'conflict-3');

    const error = await handler
      .handle({
        command: progress('conflict-3', 10),
        issuer: steward([AGENCY]),
        expectedVersion: 2,
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expected: 2, actual: 3 });
    expect(await readCommitmentStream(store, 'conflict-3')).toHaveLength(3);
  });

  it("holds a steward to its agency's id and records the id it wrote for", async () => {
    await publishedCommitment(handler, 'agency-1');

    const foreign = await handler
      .handle({ command: progress('agency-1', 10), issuer: steward(['secretaria-de-hacienda']) })
      .catch((e: unknown) => e);
    const byName = await handler
      .handle({
        command: progress('agency-1', 10),
        issuer: steward([cartagena2023.leadAgency.name]),
      })
      .catch((e: unknown) => e);
    await handler.handle({
      command: progress('agency-1', 10),
      issuer: steward([AGENCY, 'other'], 'luis'),
    });
    const last = (await readCommitmentStream(store, 'agency-1')).at(-1);

    expect(foreign).toBeInstanceOf(ForbiddenError);
    expect(foreign).toMatchObject({ reason: 'AGENCY' });
    expect(byName).toBeInstanceOf(ForbiddenError);
    expect(last?.metadata.actor).toEqual({ subject: 'luis', role: 'steward', agency: AGENCY });
    expect(await readCommitmentStream(store, 'agency-1')).toHaveLength(5);
  });

  it("refuses a steward's registration for another agency's id, given or derived", async () => {
    const register = (commitmentId: string, leadAgency: { id?: string; name: string }) =>
      handler
        .handle({
          command: {
            type: 'RegisterCommitment',
            data: { ...cartagena2023, commitmentId, code: commitmentId, leadAgency },
          },
          issuer: steward(['secretaria-de-hacienda']),
        })
        .catch((e: unknown) => e);

    const given = await register('agency-2', { id: AGENCY, name: 'Secretaría de Hacienda' });
    const derived = await register('agency-3', { name: 'Secretaría de Planeación' });
    const own = await register('agency-4', { name: 'Secretaría de Hacienda' });

    expect(given).toMatchObject({ reason: 'AGENCY' });
    expect(derived).toMatchObject({ reason: 'AGENCY' });
    expect(own).toMatchObject({ streamVersion: 1 });
    const [registered] = await readCommitmentStream(store, 'agency-4');
    expect(registered.schemaVersion).toBe(2);
    expect(registered.data.leadAgency).toEqual({
      id: 'secretaria-de-hacienda',
      name: 'Secretaría de Hacienda',
      offices: [],
    });
    expect(registered.metadata.actor).toMatchObject({ agency: 'secretaria-de-hacienda' });
  });

  it('keeps the stewards of the agency when its name is revised, and refuses another id', async () => {
    await publishedCommitment(handler, 'agency-5');
    const issuer = steward([AGENCY]);
    const revise = (leadAgency: { id?: string; name: string }) =>
      handler.handle({
        command: {
          type: 'ReviseCommitment',
          data: { commitmentId: 'agency-5', changes: { leadAgency }, reason: 'Nuevo nombre' },
        },
        issuer,
      });

    await revise({ name: 'Alcaldía Distrital de Cartagena de Indias' });
    const moved = await revise({
      id: 'secretaria-de-hacienda',
      name: 'Secretaría de Hacienda',
    }).catch((e: unknown) => e);
    await handler.handle({ command: progress('agency-5', 20), issuer });
    const state = foldRecorded(await readCommitmentStream(store, 'agency-5'));

    expect(moved).toBeInstanceOf(InvalidCommand);
    expect(moved).toMatchObject({ field: 'changes.leadAgency.id', rule: 'unchangeable' });
    expect(state.status !== 'empty' && state.leadAgency).toEqual({
      id: AGENCY,
      name: 'Alcaldía Distrital de Cartagena de Indias',
      offices: [],
    });
    expect(state.status !== 'empty' && state.milestones[0].progress).toBe(20);
  });

  it('writes nothing when the domain refuses the command', async () => {
    await publishedCommitment(handler, 'refused-1');
    const issuer = steward([AGENCY]);
    await handler.handle({
      command: { type: 'WithdrawCommitment', data: { commitmentId: 'refused-1', reason: 'Fin' } },
      issuer,
    });

    const invalid = await handler
      .handle({ command: progress('refused-1', 150), issuer })
      .catch((e: unknown) => e);
    const closed = await handler
      .handle({
        command: { type: 'CompleteCommitment', data: { commitmentId: 'refused-1' } },
        issuer,
      })
      .catch((e: unknown) => e);

    expect(invalid).toBeInstanceOf(CommitmentClosed);
    expect(closed).toBeInstanceOf(CommitmentClosed);
    expect(await readCommitmentStream(store, 'refused-1')).toHaveLength(4);
  });

  it('names the field of a bad input and of a business time in the future', async () => {
    await publishedCommitment(handler, 'refused-2');
    const issuer = steward([AGENCY]);

    const percent = await handler
      .handle({ command: progress('refused-2', 101), issuer })
      .catch((e: unknown) => e);
    const future = await handler
      .handle({
        command: progress('refused-2', 10),
        issuer,
        occurredAt: new Date(NOW.getTime() + 3_600_000),
      })
      .catch((e: unknown) => e);

    expect(percent).toBeInstanceOf(InvalidCommand);
    expect(percent).toMatchObject({ field: 'percent', rule: 'range' });
    expect(future).toBeInstanceOf(InvalidInputError);
    expect(future).toMatchObject({ field: 'occurredAt' });
    expect(await readCommitmentStream(store, 'refused-2')).toHaveLength(3);
  });
});
