import { parseWitnessKey, type VerifierKey } from '#ledger';
import {
  VersionConflictError,
  type Actor,
  type EventStore,
  type RecordedEvent,
} from '#event-store';
import {
  decideAddWitness,
  decideRemoveWitness,
  foldRoster,
  LOG_WITNESSES_STREAM,
  type RosterEvent,
  type RosterWitness,
} from './witness-roster.js';

const PAGE = 1000;

/**
 * The log's trusted witnesses, read from and changed on the `log-witnesses` stream: every
 * change is an event in the log itself, with the administrator who made it.
 */
export class WitnessRoster {
  constructor(private readonly store: EventStore) {}

  /** The witnesses trusted now. */
  async current(): Promise<RosterWitness[]> {
    return foldRoster(await this.history());
  }

  /** Their verifier keys, parsed. */
  async keys(): Promise<VerifierKey[]> {
    return (await this.current()).map((w) => parseWitnessKey(w.verifierKey));
  }

  /** Records a new trusted witness. Throws RosterRefusal for bad input; appends nothing then. */
  async add(actor: Actor, input: { url: string; verifierKey: string }): Promise<RosterWitness> {
    const event = await this.change(actor, (roster) => decideAddWitness(roster, input));
    return event.data as RosterWitness;
  }

  /** Records that a witness is no longer trusted. Throws RosterRefusal for an unknown name. */
  async remove(actor: Actor, name: string): Promise<RosterWitness> {
    let removed: RosterWitness | undefined;
    await this.change(actor, (roster) => {
      const event = decideRemoveWitness(roster, name);
      removed = roster.find((w) => w.name === name);
      return event;
    });
    return removed as RosterWitness;
  }

  /** Every event of the stream, oldest first (read a page at a time). */
  private async history(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await this.store.readStream(LOG_WITNESSES_STREAM, {
        fromVersion: events.length + 1,
        limit: PAGE,
      });
      events.push(...page);
      if (page.length < PAGE) return events;
    }
  }

  /** Decides on the stream as read and appends at that version; a concurrent change retries. */
  private async change(
    actor: Actor,
    decide: (roster: RosterWitness[]) => RosterEvent,
  ): Promise<RosterEvent> {
    for (let attempt = 1; ; attempt++) {
      const events = await this.history();
      const event = decide(foldRoster(events));
      try {
        await this.store.append(
          LOG_WITNESSES_STREAM,
          [{ type: event.type, data: { ...event.data }, metadata: { actor } }],
          events.length,
        );
        return event;
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= 5) throw error;
      }
    }
  }
}
