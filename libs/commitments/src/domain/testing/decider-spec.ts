import { expect } from '@jest/globals';

import type { CommitmentCommand, DecideContext } from '../commitment.commands.js';
import { decide } from '../commitment.decide.js';
import type { CommitmentEvent, StoredCommitmentEvent } from '../commitment.events.js';
import { foldCommitment } from '../commitment.evolve.js';
import type { CommitmentState } from '../commitment.state.js';
import { DomainError } from '../domain-error.js';

/** The business time tests use unless they say otherwise. */
export const TEST_NOW = new Date('2023-03-01T15:00:00.000Z');

/**
 * Gives each event without an id the id `event-<n>`, n counting from 1 in the list, so a
 * test can name the event a correction refers to.
 */
export function withIds(
  events: readonly (CommitmentEvent | StoredCommitmentEvent)[],
): StoredCommitmentEvent[] {
  return events.map((event, i) =>
    'id' in event ? event : ({ ...event, id: `event-${i + 1}` } as StoredCommitmentEvent),
  );
}

type ErrorClass = abstract new (...args: never[]) => DomainError;

/**
 * A decider test in the given/when/then form:
 *
 *     given([registered(), published()]).when(reportProgress()).then([started(), reported()]);
 *     given([]).when(publish()).thenFails(CommitmentNotFound, { code: 'COMMITMENT_NOT_FOUND' });
 *
 * `then` also checks that the events are plain JSON, as the event store will hash them.
 */
export function given(events: readonly (CommitmentEvent | StoredCommitmentEvent)[]) {
  const state: CommitmentState = foldCommitment(withIds(events));
  return {
    state,
    when(command: CommitmentCommand, context: DecideContext = { now: TEST_NOW }) {
      const run = () => decide(command, state, context);
      return {
        then(expected: CommitmentEvent[]): CommitmentEvent[] {
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
