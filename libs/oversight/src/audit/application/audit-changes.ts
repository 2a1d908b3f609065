import type { EventStore, RecordedEvent } from '#event-store';
import type { FieldChange } from '#kernel';
import { historyOf, readStreamUpTo, type EventDescriptions } from '#platform';

/**
 * What each event of one audit page changed, from its stream folded with its context's
 * `evolve` (the platform's history): each stream is read once for the page, up to the newest
 * of its events there, and only when a change is first asked for.
 */
export class PageChanges {
  private readonly histories = new Map<string, Promise<FieldChange[][]>>();
  private readonly newest = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly descriptions: EventDescriptions,
    events: readonly RecordedEvent[],
  ) {
    for (const event of events) {
      this.newest.set(
        event.stream,
        Math.max(this.newest.get(event.stream) ?? 0, event.streamVersion),
      );
    }
  }

  /** The fields `event` changed; null when no context describes its stream's state. */
  async of(event: RecordedEvent): Promise<FieldChange[] | null> {
    const described = this.descriptions.streamOf(event.stream)?.state;
    if (!described) return null;
    let history = this.histories.get(event.stream);
    if (!history) {
      history = readStreamUpTo(this.store, event.stream, this.newest.get(event.stream)).then(
        (events) =>
          historyOf(described.streamType, events).map((entry) =>
            described.changes(entry.before, entry.after),
          ),
      );
      this.histories.set(event.stream, history);
    }
    return (await history)[event.streamVersion - 1] ?? [];
  }
}
