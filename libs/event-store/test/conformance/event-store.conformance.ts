import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DuplicateEventIdError,
  InvalidEventError,
  Upcasters,
  VersionConflictError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type Subscription,
} from '#event-store';

/** What an adapter provides to be held to the event store's contract. */
export interface ConformanceHarness {
  /** A store over an empty log, with these upcasters. */
  open(options: { upcasters?: Upcasters }): Promise<EventStore>;
  /** Tries every way the adapter's storage offers to change or remove stored events. */
  tamperAttempts(store: EventStore): Array<{ name: string; attempt: () => Promise<unknown> }>;
  dispose?(store: EventStore): Promise<void>;
}

const actor = { subject: 'planeacion-ana', role: 'steward', agency: 'secretaria-de-planeacion' };

export function event(
  type: string,
  data: NewEvent['data'] = {},
  extra: Partial<NewEvent> = {},
): NewEvent {
  return { type, data, metadata: { actor }, ...extra };
}

async function take(subscription: Subscription, count: number, onEach?: () => Promise<void>) {
  const seen: RecordedEvent[] = [];
  if (count === 0) return seen;
  for await (const recorded of subscription) {
    seen.push(recorded);
    if (onEach) await onEach();
    if (seen.length === count) break;
  }
  return seen;
}

/**
 * The contract every EventStore adapter must pass. Register it from the adapter's own spec
 * file: `describeEventStoreConformance('PostgreSQL', harness)`.
 */
export function describeEventStoreConformance(name: string, harness: ConformanceHarness): void {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    let upcasters: Upcasters;

    beforeEach(async () => {
      upcasters = new Upcasters([
        {
          type: 'MilestoneRescheduled',
          from: 1,
          upcast: (data) => ({ ...data, plannedEnd: data.newEnd, newEnd: null }),
        },
      ]);
      store = await harness.open({ upcasters });
    });

    afterEach(async () => {
      await store.close();
      await harness.dispose?.(store);
    });

    describe('append', () => {
      it('gives a new stream versions from 1 and dense global positions from 0', async () => {
        const first = await store.append('commitment-a', [event('A1'), event('A2')], 'no_stream');
        const second = await store.append('commitment-b', [event('B1')], 'no_stream');
        const third = await store.append('commitment-a', [event('A3')], 2);

        expect(first).toEqual({
          stream: 'commitment-a',
          nextVersion: 2,
          positions: [0, 1],
          replayed: false,
        });
        expect(second).toEqual({
          stream: 'commitment-b',
          nextVersion: 1,
          positions: [2],
          replayed: false,
        });
        expect(third).toEqual({
          stream: 'commitment-a',
          nextVersion: 3,
          positions: [3],
          replayed: false,
        });
        expect(await store.head()).toBe(4);
      });

      it('stores the full envelope: metadata as given, recordedAt from the server', async () => {
        const id = randomUUID();
        const before = Date.now();
        await store.append(
          'commitment-env',
          [
            {
              id,
              type: 'CommitmentRegistered',
              schemaVersion: 2,
              data: {
                code: 'CTG-2023-01',
                title: '#CartagenaCuenta 2023',
                amount: 1.5e9,
                tags: ['a'],
              },
              metadata: {
                actor,
                occurredAt: '2023-03-01T10:00:00.000Z',
                reason: 'initial registration',
                correlationId: 'corr-1',
                causationId: 'cause-1',
                commandId: 'cmd-1',
              },
            },
          ],
          'any',
        );
        const [stored] = await store.readStream('commitment-env');

        expect(stored).toMatchObject({
          id,
          stream: 'commitment-env',
          streamVersion: 1,
          position: 0,
          type: 'CommitmentRegistered',
          schemaVersion: 2,
          data: { code: 'CTG-2023-01', title: '#CartagenaCuenta 2023', amount: 1.5e9, tags: ['a'] },
          metadata: {
            actor,
            occurredAt: '2023-03-01T10:00:00.000Z',
            reason: 'initial registration',
            correlationId: 'corr-1',
            causationId: 'cause-1',
            commandId: 'cmd-1',
          },
        });
        const recordedAt = Date.parse(stored.metadata.recordedAt);
        expect(recordedAt).toBeGreaterThanOrEqual(before - 1000);
        expect(recordedAt).toBeLessThanOrEqual(Date.now() + 1000);
      });

      it('uses the recording time as business time when none is given', async () => {
        await store.append('commitment-t', [event('T')], 'any');
        const [stored] = await store.readStream('commitment-t');
        expect(stored.metadata.occurredAt).toBe(stored.metadata.recordedAt);
      });
    });

    describe('expected version', () => {
      const cases: Array<{
        given: number;
        expected: 'any' | 'no_stream' | 'stream_exists' | number;
        ok: boolean;
      }> = [
        { given: 0, expected: 'any', ok: true },
        { given: 2, expected: 'any', ok: true },
        { given: 0, expected: 'no_stream', ok: true },
        { given: 1, expected: 'no_stream', ok: false },
        { given: 0, expected: 'stream_exists', ok: false },
        { given: 1, expected: 'stream_exists', ok: true },
        { given: 0, expected: 0, ok: true },
        { given: 2, expected: 2, ok: true },
        { given: 2, expected: 1, ok: false },
        { given: 2, expected: 3, ok: false },
      ];
      for (const { given, expected, ok } of cases) {
        it(`${ok ? 'accepts' : 'refuses'} ${String(expected)} on a stream at version ${given}`, async () => {
          for (let i = 0; i < given; i++) await store.append('s', [event('E')], 'any');
          const attempt = store.append('s', [event('New')], expected);
          if (ok) {
            await expect(attempt).resolves.toMatchObject({ nextVersion: given + 1 });
          } else {
            const error = await attempt.catch((e: unknown) => e);
            expect(error).toBeInstanceOf(VersionConflictError);
            expect(error).toMatchObject({
              code: 'VERSION_CONFLICT',
              stream: 's',
              expected,
              actual: given,
            });
            expect(await store.head()).toBe(given);
            expect((await store.readStream('s')).map((e) => e.type)).toEqual(
              Array(given).fill('E'),
            );
          }
        });
      }

      it('names the expected and actual versions in the message', async () => {
        await store.append('s', [event('E'), event('E')], 'any');
        await expect(store.append('s', [event('X')], 5)).rejects.toThrow(
          'expected version 5, but the stream is at version 2',
        );
      });

      it('fails one caller without touching others grouped with it', async () => {
        await store.append('s1', [event('E')], 'any');
        const results = await Promise.allSettled([
          store.append('s1', [event('Late')], 0),
          store.append('s2', [event('Fine')], 'no_stream'),
          store.append('s1', [event('OnTime')], 1),
        ]);
        expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
        expect((await store.readStream('s1')).map((e) => e.type)).toEqual(['E', 'OnTime']);
        expect(await store.head()).toBe(3);
      });
    });

    describe('idempotency', () => {
      it('returns the original result for a retried append and stores nothing new', async () => {
        const events = [event('A', {}, { id: randomUUID() }), event('B', {}, { id: randomUUID() })];
        await store.append('other', [event('X')], 'any');
        const first = await store.append('retry', events, 'no_stream');
        await store.append('retry', [event('C')], 2);
        const again = await store.append('retry', events, 'no_stream');
        const againAny = await store.append('retry', events, 'any');
        const againExact = await store.append('retry', events, 0);

        expect(again).toEqual({ ...first, replayed: true });
        expect(againAny).toEqual({ ...first, replayed: true });
        expect(againExact).toEqual({ ...first, replayed: true });
        expect(first).toEqual({
          stream: 'retry',
          nextVersion: 2,
          positions: [1, 2],
          replayed: false,
        });
        expect(await store.head()).toBe(4);
      });

      it('stores an event once when the same append races with itself', async () => {
        const events = [event('A', {}, { id: randomUUID() })];
        const results = await Promise.all([
          store.append('race', events, 'any'),
          store.append('race', events, 'any'),
          store.append('race', events, 'any'),
        ]);
        const { replayed: _replayed, ...first } = results[0];
        expect(results.map(({ replayed: _r, ...rest }) => rest)).toEqual([first, first, first]);
        expect(results.filter((r) => !r.replayed)).toHaveLength(1);
        expect(await store.readStream('race')).toHaveLength(1);
      });

      it('refuses an event id already stored in another place', async () => {
        const id = randomUUID();
        await store.append('first', [event('A', {}, { id })], 'any');

        const elsewhere = await store
          .append('second', [event('A', {}, { id })], 'any')
          .catch((e) => e);
        const laterInSame = await store
          .append('first', [event('B'), event('A', {}, { id })], 'any')
          .catch((e) => e);

        expect(elsewhere).toBeInstanceOf(DuplicateEventIdError);
        expect(elsewhere).toMatchObject({
          code: 'DUPLICATE_EVENT_ID',
          eventId: id,
          storedAt: { stream: 'first', streamVersion: 1, position: 0 },
        });
        expect(laterInSame).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.head()).toBe(1);
      });
    });

    describe('bad input', () => {
      const bad: Array<[string, () => [string, NewEvent[], 'any'], string]> = [
        ['an empty stream name', () => ['', [event('A')], 'any'], 'stream'],
        ['no events', () => ['s', [], 'any'], 'events'],
        ['a non-UUID id', () => ['s', [event('A', {}, { id: 'nope' })], 'any'], 'events[0].id'],
        ['an empty type', () => ['s', [event('')], 'any'], 'events[0].type'],
        ['data that is an array', () => ['s', [event('A', [] as never)], 'any'], 'events[0].data'],
        ['a NUL in data', () => ['s', [event('A', { text: 'a\u0000b' })], 'any'], 'events[0].data'],
        [
          'a non-finite number',
          () => ['s', [event('A', { n: Infinity })], 'any'],
          'events[0].data',
        ],
        [
          'an unparseable occurredAt',
          () => ['s', [{ ...event('A'), metadata: { actor, occurredAt: 'yesterday' } }], 'any'],
          'events[0].metadata.occurredAt',
        ],
        [
          'an actor without a subject',
          () => ['s', [{ ...event('A'), metadata: { actor: { subject: '', role: 'x' } } }], 'any'],
          'events[0].metadata.actor.subject',
        ],
      ];
      for (const [what, args, field] of bad) {
        it(`refuses ${what}, naming ${field}, and writes nothing`, async () => {
          const error = await store.append(...args()).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidEventError);
          expect(error).toMatchObject({ code: 'INVALID_EVENT', field });
          expect(await store.head()).toBe(0);
        });
      }
    });

    describe('reading', () => {
      beforeEach(async () => {
        for (let i = 1; i <= 5; i++) {
          await store.append('read-a', [event('A', { i })], 'any');
          await store.append('read-b', [event('B', { i })], 'any');
        }
      });

      it('reads a stream forwards from a version with a limit', async () => {
        const events = await store.readStream('read-a', { fromVersion: 2, limit: 3 });
        expect(events.map((e) => [e.streamVersion, e.data.i])).toEqual([
          [2, 2],
          [3, 3],
          [4, 4],
        ]);
      });

      it('reads a stream backwards from the end or from a version', async () => {
        const fromEnd = await store.readStream('read-b', { direction: 'backwards', limit: 2 });
        const fromThree = await store.readStream('read-b', {
          direction: 'backwards',
          fromVersion: 3,
        });
        expect(fromEnd.map((e) => e.streamVersion)).toEqual([5, 4]);
        expect(fromThree.map((e) => e.streamVersion)).toEqual([3, 2, 1]);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream('nobody')).toEqual([]);
      });

      it('reads all events from a position, in order, in batches', async () => {
        const firstBatch = await store.readAll({ from: 0, limit: 4 });
        const rest = await store.readAll({ from: 4, limit: 100 });
        const positions = [...firstBatch, ...rest].map((e) => e.position);
        expect(positions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(rest[0].stream).toBe('read-a');
      });

      it('filters all events by stream and type', async () => {
        const onlyB = await store.readAll({ filter: { types: ['B'] } });
        const onlyA = await store.readAll({ filter: { streams: ['read-a'] } });
        const byPrefix = await store.readAll({ filter: { streamPrefix: 'read-' } });
        expect(onlyB.map((e) => e.data.i)).toEqual([1, 2, 3, 4, 5]);
        expect(onlyA.every((e) => e.stream === 'read-a')).toBe(true);
        expect(byPrefix).toHaveLength(10);
      });

      it('refuses a negative position or an oversized limit', async () => {
        await expect(store.readAll({ from: -1 })).rejects.toMatchObject({ field: 'from' });
        await expect(store.readAll({ limit: 1_000_000 })).rejects.toMatchObject({ field: 'limit' });
      });
    });

    describe('upcasting', () => {
      it('shows old schema versions in the current shape, and raw reads as stored', async () => {
        await store.append(
          'up',
          [event('MilestoneRescheduled', { newEnd: '2023-12' }, { schemaVersion: 1 })],
          'any',
        );
        const [read] = await store.readStream('up');
        const [raw] = await store.readAll({ raw: true });
        expect(read.schemaVersion).toBe(2);
        expect(read.data).toEqual({ plannedEnd: '2023-12', newEnd: null });
        expect(raw.schemaVersion).toBe(1);
        expect(raw.data).toEqual({ newEnd: '2023-12' });
      });
    });

    describe('concurrency', () => {
      it('lets exactly one of 32 writers win each version of one stream, skipping no position', async () => {
        const writers = 32;
        const rounds = 8;
        for (let version = 0; version < rounds; version++) {
          const results = await Promise.allSettled(
            Array.from({ length: writers }, (_, w) =>
              store.append('contended', [event('Won', { w, version })], version),
            ),
          );
          const won = results.filter((r) => r.status === 'fulfilled');
          const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(writers - 1);
          for (const loss of lost) {
            expect(loss.reason).toBeInstanceOf(VersionConflictError);
            expect(loss.reason).toMatchObject({ expected: version, actual: version + 1 });
          }
        }
        const stored = await store.readStream('contended');
        expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(stored.map((e) => e.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        expect(await store.head()).toBe(rounds);
      });

      it('keeps versions and positions dense when 32 writers retry until each has won twice', async () => {
        const writers = 32;
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            let wins = 0;
            while (wins < 2) {
              const [last] = await store.readStream('free-for-all', {
                direction: 'backwards',
                limit: 1,
              });
              const version = last?.streamVersion ?? 0;
              try {
                await store.append('free-for-all', [event('Won', { w })], version);
                wins++;
              } catch (error) {
                if (!(error instanceof VersionConflictError)) throw error;
              }
            }
          }),
        );
        const all = await store.readAll({ limit: 1000 });
        expect(all.map((e) => e.position)).toEqual([...Array(64).keys()]);
        expect(all.map((e) => e.streamVersion)).toEqual([...Array(64).keys()].map((i) => i + 1));
      });

      it('delivers every event once, in global order, to 2 subscribers while 8 writers append', async () => {
        const writers = 8;
        const appendsEach = 40;
        const total = writers * appendsEach * 2;
        const subscribers = [
          store.subscribe({ from: 0, batchSize: 37 }),
          store.subscribe({ from: 0 }),
        ];
        const seen = subscribers.map((s) => take(s, total));

        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < appendsEach; i++) {
              await store.append(
                `writer-${w}`,
                [event('E', { w, i }), event('F', { w, i })],
                i * 2,
              );
            }
          }),
        );

        const stored = await store.readAll({ limit: total });
        for (const received of await Promise.all(seen)) {
          expect(received.map((e) => e.position)).toEqual([...Array(total).keys()]);
          expect(received.map((e) => e.id)).toEqual(stored.map((e) => e.id));
        }
        await Promise.all(subscribers.map((s) => s.close()));
      });

      it('lets a slow subscriber fall behind and still see everything in order', async () => {
        const slow = store.subscribe({ from: 0, batchSize: 5 });
        const received = take(slow, 60, () => new Promise((resolve) => setTimeout(resolve, 2)));
        for (let i = 0; i < 20; i++) {
          await Promise.all(
            [0, 1, 2].map((s) => store.append(`fast-${s}`, [event('E', { i })], 'any')),
          );
        }
        expect((await received).map((e) => e.position)).toEqual([...Array(60).keys()]);
      });
    });

    describe('subscriptions', () => {
      it('catches up on stored events, then delivers new ones live', async () => {
        await store.append('live', [event('Old1'), event('Old2')], 'any');
        const subscription = store.subscribe({ from: 0 });
        const received = take(subscription, 4);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await store.append('live', [event('New1')], 'any');
        await store.append('live', [event('New2')], 'any');
        expect((await received).map((e) => e.type)).toEqual(['Old1', 'Old2', 'New1', 'New2']);
      });

      it('resumes from a checkpoint after being stopped, losing and repeating nothing', async () => {
        for (let i = 0; i < 10; i++) await store.append('resume', [event('E', { i })], 'any');
        const first = store.subscribe({ from: 0, batchSize: 3 });
        const before = await take(first, 4);
        await first.close();
        const checkpoint = first.position;
        for (let i = 10; i < 15; i++) await store.append('resume', [event('E', { i })], 'any');

        const second = store.subscribe({ from: checkpoint });
        const after = await take(second, 11);
        await second.close();

        expect(checkpoint).toBe(4);
        expect([...before, ...after].map((e) => e.data.i)).toEqual([...Array(15).keys()]);
      });

      it('delivers only matching events to a filtered subscription', async () => {
        const subscription = store.subscribe({ from: 0, filter: { types: ['Wanted'] } });
        const received = take(subscription, 2);
        await store.append('f', [event('Unwanted'), event('Wanted', { n: 1 })], 'any');
        await store.append('g', [event('Wanted', { n: 2 })], 'any');
        expect((await received).map((e) => e.data.n)).toEqual([1, 2]);
      });

      it('moves a filtered subscription past events that do not match', async () => {
        await store.append(
          'skip',
          [...Array(30)].map(() => event('Unwanted')),
          'any',
        );
        await store.append('skip', [event('Wanted', { n: 1 })], 'any');
        const subscription = store.subscribe({ from: 0, filter: { types: ['Wanted'] } });
        const events = subscription[Symbol.asyncIterator]();
        expect((await events.next()).value).toMatchObject({ position: 30, data: { n: 1 } });

        const waiting = events.next();
        await store.append(
          'skip',
          [...Array(10)].map(() => event('Unwanted')),
          'any',
        );
        // Nothing matches yet, but the checkpoint moves past what was looked at.
        const deadline = Date.now() + 5000;
        while (subscription.position < 41 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(subscription.position).toBe(41);

        await store.append('skip', [event('Wanted', { n: 2 })], 'any');
        expect((await waiting).value).toMatchObject({ position: 41, data: { n: 2 } });
        await subscription.close();
      });

      it('refuses a negative starting position', () => {
        expect(() => store.subscribe({ from: -1 })).toThrow(InvalidEventError);
      });
    });

    describe('immutability', () => {
      it('refuses every attempt to change or remove stored events', async () => {
        await store.append('kept', [event('Original', { value: 1 })], 'any');
        for (const { name: attemptName, attempt } of harness.tamperAttempts(store)) {
          const error = await attempt().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect({ attempt: attemptName, refused: error instanceof Error }).toEqual({
            attempt: attemptName,
            refused: true,
          });
        }
        const [kept] = await store.readStream('kept');
        expect(kept.data).toEqual({ value: 1 });
        expect(await store.head()).toBe(1);
      });
    });
  });
}
