import { expect } from '@jest/globals';
import { DomainError, fold, type DecideContext, type Decider } from '#kernel';

/** The business time tests use unless they say otherwise. */
export const TEST_NOW = new Date('2023-03-01T15:00:00.000Z');

/**
 * Gives each event without an id the id `event-<n>`, n counting from 1 in the list, so a
 * test can name the event a correction refers to.
 */
export function withIds<Event extends object>(
  events: readonly (Event | (Event & { id: string }))[],
): (Event & { id: string })[] {
  return events.map((event, i) =>
    'id' in event ? (event as Event & { id: string }) : { ...event, id: `event-${i + 1}` },
  );
}

type ErrorClass = abstract new (...args: never[]) => DomainError;

/**
 * Decider tests in the given/when/then form, for any context's decider:
 *
 *     const { given } = deciderSpec(commitmentDecider);
 *     given([registered(), published()]).when(reportProgress()).then([started(), reported()]);
 *     given([]).when(publish()).thenFails(CommitmentNotFound, { code: 'COMMITMENT_NOT_FOUND' });
 *
 * `then` also checks that the events are plain JSON, as the event store will hash them.
 */
export function deciderSpec<
  Command,
  Event extends object,
  State,
  StoredEvent extends Event & { id: string },
>(decider: Decider<Command, Event, State, StoredEvent>) {
  function given(events: readonly (Event | StoredEvent)[]) {
    const state: State = fold(decider, withIds<Event>(events) as StoredEvent[]);
    return {
      state,
      when(command: Command, context: DecideContext = { now: TEST_NOW }) {
        const run = () => decider.decide(command, state, context);
        return {
          then(expected: Event[]): Event[] {
            const actual = run();
            expect(actual).toStrictEqual(expected);
            expect(JSON.parse(JSON.stringify(actual))).toStrictEqual(actual);
            return actual;
          },
          thenFails(
            errorClass: ErrorClass,
            expected: { code?: string; field?: string; [key: string]: unknown } = {},
          ): DomainError {
            let caught: unknown;
            try {
              run();
            } catch (error) {
              caught = error;
            }
            expect(caught).toBeInstanceOf(errorClass);
            expect(caught).toMatchObject(expected);
            return caught as DomainError;
          },
        };
      },
    };
  }
  return { given };
}
