import type { EventStore } from '#event-store';

/** One part's demo: it records its commands into the log, after the commitments demo. */
export interface ParticipationDemo {
  part: string;
  /** @returns the number of commands run */
  load(store: EventStore): Promise<number>;
}
