import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore, type EventStore, type NewEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { cartagena2023 } from '../../demo/cartagena-2023.js';
import {
  CommitmentAlreadyRegistered,
  CommitmentCodeTaken,
  commitmentCodeStream,
  commitmentStream,
  type CommitmentCommand,
} from '../domain/index.js';
import { CommandCodeClaims, CommitmentCodes } from './commitment-codes.js';
import { CommitmentCommandHandler, type CommandIssuer } from './commitment-command.handler.js';

// Code uniqueness through the code streams, on a real PostgreSQL event store. Every test uses
// codes and commitment ids of its own.

const NOW = new Date('2024-01-15T12:00:00.000Z');
const system: CommandIssuer = {
  kind: 'trusted',
  actor: { subject: 'test', role: 'administrator' },
};

const register = (commitmentId: string, code: string): CommitmentCommand => ({
  type: 'RegisterCommitment',
  data: { ...cartagena2023, commitmentId, code },
});
const reviseCode = (commitmentId: string, code: string): CommitmentCommand => ({
  type: 'ReviseCommitment',
  data: { commitmentId, changes: { code }, reason: 'El código se unificó con el plan' },
});

/** The store, with `before` run (or thrown) ahead of the first append to `stream`. */
function beforeFirstAppend(
  store: EventStore,
  stream: string,
  before: () => Promise<unknown>,
): EventStore {
  let done = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver);
      return async (to: string, events: NewEvent[], expected: number) => {
        if (to === stream && !done) {
          done = true;
          await before();
        }
        return target.append(to, events, expected);
      };
    },
  });
}

describe('commitment codes on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let handler: CommitmentCommandHandler;

  const run = (command: CommitmentCommand, commandId?: string) =>
    handler.handle({ command, issuer: system, commandId });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );
  const types = async (stream: string) =>
    (await store.readStream(stream)).map((e) => [e.type, e.data.commitmentId]);

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url, pollMs: 200 });
    handler = new CommitmentCommandHandler(store, { now: () => NOW });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('refuses a code another commitment holds, whatever its case, and writes nothing', async () => {
    await run(register('held-1', 'CTG-Held-1'));
    const head = await store.head();

    const error = await failure(run(register('held-2', 'ctg-held-1')));

    expect(error).toBeInstanceOf(CommitmentCodeTaken);
    expect(error).toMatchObject({
      code: 'COMMITMENT_CODE_TAKEN',
      field: 'code',
      commitmentCode: 'ctg-held-1',
      heldBy: 'held-1',
    });
    expect(await store.head()).toBe(head);
    expect(await store.readStream(commitmentStream('held-2'))).toEqual([]);
    expect(await types(commitmentCodeStream('CTG-Held-1'))).toEqual([
      ['CommitmentCodeClaimed', 'held-1'],
    ]);
  });

  it('answers a retried registration with its first result, its own claim in no way', async () => {
    const first = await run(register('retry-1', 'CTG-Retry-1'), 'register-retry-1');
    const head = await store.head();

    const again = await run(register('retry-1', 'CTG-Retry-1'), 'register-retry-1');
    const raced = await Promise.all([
      run(register('retry-1', 'CTG-Retry-1'), 'register-retry-1'),
      run(register('retry-1', 'CTG-Retry-1'), 'register-retry-1'),
    ]);

    expect(first).toMatchObject({ streamVersion: 1, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    expect(raced).toEqual([again, again]);
    expect(await store.head()).toBe(head);
  });

  it('records a registration racing with itself once, claiming its code for it', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => run(register('race-self', 'CTG-Race-Self'), 'register-race-self')),
    );

    expect(new Set(results.map((r) => r.positions[0])).size).toBe(1);
    expect(await store.readStream(commitmentStream('race-self'))).toHaveLength(1);
    expect(await types(commitmentCodeStream('CTG-Race-Self'))).toEqual([
      ['CommitmentCodeClaimed', 'race-self'],
    ]);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });

  it('lets the commitment of an orphaned claim register, and no other commitment', async () => {
    // The claim is written, then the connection is lost before the registration is appended.
    const crashing = new CommitmentCommandHandler(
      beforeFirstAppend(store, commitmentStream('orphan-1'), () =>
        Promise.reject(new Error('connection lost')),
      ),
      { now: () => NOW },
    );
    const lost = await failure(
      crashing.handle({
        command: register('orphan-1', 'CTG-Orphan-1'),
        issuer: system,
        commandId: 'register-orphan-1',
      }),
    );
    const other = await failure(run(register('orphan-2', 'CTG-Orphan-1')));

    const retried = await run(register('orphan-1', 'CTG-Orphan-1'), 'register-orphan-1');

    expect(lost).toMatchObject({ message: 'connection lost' });
    expect(other).toMatchObject({ code: 'COMMITMENT_CODE_TAKEN', heldBy: 'orphan-1' });
    expect(retried).toMatchObject({ streamVersion: 1, replayed: false });
    // The retry's claim has the lost attempt's id, and that claim is still the code's last
    // event: the retry takes it as its own instead of claiming again.
    expect(await types(commitmentCodeStream('CTG-Orphan-1'))).toEqual([
      ['CommitmentCodeClaimed', 'orphan-1'],
    ]);
  });

  it('releases the claim of a registration that is then refused', async () => {
    // Between the claim and the append, the same commitment id is registered under another code.
    const rival = new CommitmentCommandHandler(store, { now: () => NOW });
    const racing = new CommitmentCommandHandler(
      beforeFirstAppend(store, commitmentStream('refused-1'), () =>
        rival.handle({ command: register('refused-1', 'CTG-Refused-Rival'), issuer: system }),
      ),
      { now: () => NOW },
    );

    const error = await failure(
      racing.handle({ command: register('refused-1', 'CTG-Refused-1'), issuer: system }),
    );
    const taken = await run(register('refused-2', 'CTG-Refused-1'));

    expect(error).toBeInstanceOf(CommitmentAlreadyRegistered);
    expect(taken).toMatchObject({ streamVersion: 1, replayed: false });
    expect(await types(commitmentCodeStream('CTG-Refused-1'))).toEqual([
      ['CommitmentCodeClaimed', 'refused-1'],
      ['CommitmentCodeReleased', 'refused-1'],
      ['CommitmentCodeClaimed', 'refused-2'],
    ]);
  });

  it('releases the code a retried correction no longer gives the commitment', async () => {
    // A correction gives the commitment CTG-Dropped-D instead of what a revision set; between
    // its claim and its append, another revision changes the code, so the retry, decided on
    // that, changes no code at all.
    await run(register('dropped-1', 'CTG-Dropped-A'));
    const revision = await run(reviseCode('dropped-1', 'CTG-Dropped-B'));
    const rival = new CommitmentCommandHandler(store, { now: () => NOW });
    const racing = new CommitmentCommandHandler(
      beforeFirstAppend(store, commitmentStream('dropped-1'), () =>
        rival.handle({ command: reviseCode('dropped-1', 'CTG-Dropped-E'), issuer: system }),
      ),
      { now: () => NOW },
    );

    const corrected = await racing.handle({
      command: {
        type: 'CorrectEvent',
        data: {
          commitmentId: 'dropped-1',
          eventId: revision.eventIds[0],
          reason: 'El código aprobado era otro',
          corrected: { changes: { code: 'CTG-Dropped-D' } },
        },
      },
      issuer: system,
    });
    const taken = await run(register('dropped-2', 'CTG-Dropped-D'));

    expect(corrected).toMatchObject({ streamVersion: 4, replayed: false });
    expect(taken).toMatchObject({ streamVersion: 1, replayed: false });
    expect(await types(commitmentCodeStream('CTG-Dropped-D'))).toEqual([
      ['CommitmentCodeClaimed', 'dropped-1'],
      ['CommitmentCodeReleased', 'dropped-1'],
      ['CommitmentCodeClaimed', 'dropped-2'],
    ]);
  });

  it('releases the code an earlier attempt claimed when a retry gives another', async () => {
    const claims = new CommandCodeClaims(new CommitmentCodes(store), 'switched-1');
    const by = { commandId: 'switch-1', fingerprint: 'f1', metadata: { actor: null } };

    await claims.prepare({ to: 'CTG-Switched-D' }, 'code', by);
    await claims.prepare({ to: 'CTG-Switched-F' }, 'code', by);
    await claims.recorded(by);

    expect(await types(commitmentCodeStream('CTG-Switched-D'))).toEqual([
      ['CommitmentCodeClaimed', 'switched-1'],
      ['CommitmentCodeReleased', 'switched-1'],
    ]);
    expect(await types(commitmentCodeStream('CTG-Switched-F'))).toEqual([
      ['CommitmentCodeClaimed', 'switched-1'],
    ]);
  });

  it('claims a code again after releasing it in an earlier attempt, under a new id', async () => {
    // Attempt 1 claims the code, attempt 2 gives none (its claim is released), attempt 3
    // gives the code again: the command's second claim on the stream must be written.
    const claims = new CommandCodeClaims(new CommitmentCodes(store), 'again-1');
    const by = { commandId: 'again-1', fingerprint: 'f1', metadata: { actor: null } };

    await claims.prepare({ to: 'CTG-Again-1' }, 'code', by);
    await claims.prepare(undefined, 'code', by);
    await claims.prepare({ to: 'CTG-Again-1' }, 'code', by);
    await claims.recorded(by);
    const stream = await store.readStream(commitmentCodeStream('CTG-Again-1'));

    expect(stream.map((e) => e.type)).toEqual([
      'CommitmentCodeClaimed',
      'CommitmentCodeReleased',
      'CommitmentCodeClaimed',
    ]);
    expect(new Set(stream.map((e) => e.id)).size).toBe(3);
    expect(claims.appended.map((e) => e.id)).toEqual(stream.map((e) => e.id));
  });

  it('gives a code to exactly one of two commitments registering it at once', async () => {
    // Two stores on one database, as two API processes: their appends race in PostgreSQL.
    const other = await PostgresEventStore.open({ connectionString: database.url, pollMs: 200 });
    try {
      const handlers = [handler, new CommitmentCommandHandler(other, { now: () => NOW })];
      const rounds = [1, 2, 3, 4, 5].map(async (round) => {
        const ids = [`concurrent-${round}-a`, `concurrent-${round}-b`];
        const outcomes = await Promise.allSettled(
          ids.map((id, i) =>
            handlers[i].handle({
              command: register(id, `CTG-Concurrent-${round}`),
              issuer: system,
            }),
          ),
        );
        return { ids, outcomes };
      });

      for (const { ids, outcomes } of await Promise.all(rounds)) {
        const won = outcomes.findIndex((o) => o.status === 'fulfilled');
        const lost = outcomes[1 - won];
        const code = `CTG-Concurrent-${ids[0].split('-')[1]}`;
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(lost.status === 'rejected' && lost.reason).toBeInstanceOf(CommitmentCodeTaken);
        expect(lost.status === 'rejected' && lost.reason).toMatchObject({ heldBy: ids[won] });
        expect(await store.readStream(commitmentStream(ids[1 - won]))).toEqual([]);
        expect(await types(commitmentCodeStream(code))).toEqual([
          ['CommitmentCodeClaimed', ids[won]],
        ]);
      }
    } finally {
      await other.close();
    }
  });

  it('moves a revised code: claims the new one, then frees the old one', async () => {
    await run(register('moved-1', 'CTG-Moved-Old'));
    await run(register('moved-2', 'CTG-Moved-Other'));

    await run(reviseCode('moved-1', 'CTG-Moved-New'));
    const head = await store.head();
    const toTaken = await failure(run(reviseCode('moved-2', 'ctg-moved-new')));
    const headAfterRefusal = await store.head();
    const oldTaken = await run(register('moved-3', 'CTG-Moved-Old'));
    const recased = await run(reviseCode('moved-1', 'ctg-moved-new'));

    expect(toTaken).toBeInstanceOf(CommitmentCodeTaken);
    expect(toTaken).toMatchObject({ field: 'changes.code', heldBy: 'moved-1' });
    expect(headAfterRefusal).toBe(head);
    expect(oldTaken).toMatchObject({ streamVersion: 1 });
    expect(recased).toMatchObject({ streamVersion: 3 });
    expect(await types(commitmentCodeStream('CTG-Moved-Old'))).toEqual([
      ['CommitmentCodeClaimed', 'moved-1'],
      ['CommitmentCodeReleased', 'moved-1'],
      ['CommitmentCodeClaimed', 'moved-3'],
    ]);
    // A change of case is the same code: no claim and no release.
    expect(await types(commitmentCodeStream('CTG-Moved-New'))).toEqual([
      ['CommitmentCodeClaimed', 'moved-1'],
    ]);
  });

  it('claims the code a correction restores, and refuses it when it went to another', async () => {
    await run(register('restored-1', 'CTG-Restored-Old'));
    const revision = await run(reviseCode('restored-1', 'CTG-Restored-New'));
    await run(register('restored-2', 'CTG-Restored-Old'));
    const retract = (commitmentId: string, eventId: string): CommitmentCommand => ({
      type: 'CorrectEvent',
      data: { commitmentId, eventId, reason: 'La revisión no se aprobó' },
    });

    const refused = await failure(run(retract('restored-1', revision.eventIds[0])));
    await run(reviseCode('restored-2', 'CTG-Restored-Elsewhere'));
    const restored = await run(retract('restored-1', revision.eventIds[0]));

    expect(refused).toBeInstanceOf(CommitmentCodeTaken);
    expect(refused).toMatchObject({ field: 'eventId', heldBy: 'restored-2' });
    expect(restored).toMatchObject({ streamVersion: 3 });
    expect(await types(commitmentCodeStream('CTG-Restored-Old'))).toEqual([
      ['CommitmentCodeClaimed', 'restored-1'],
      ['CommitmentCodeReleased', 'restored-1'],
      ['CommitmentCodeClaimed', 'restored-2'],
      ['CommitmentCodeReleased', 'restored-2'],
      ['CommitmentCodeClaimed', 'restored-1'],
    ]);
    expect(await types(commitmentCodeStream('CTG-Restored-New'))).toEqual([
      ['CommitmentCodeClaimed', 'restored-1'],
      ['CommitmentCodeReleased', 'restored-1'],
    ]);
  });
});
