import type { EventStore, RecordedEvent } from '#event-store';
import {
  historyOf as streamHistoryOf,
  StreamTimeline,
  type HistoryEntry,
  type HistoryPage,
  type StreamSnapshot,
  type TimeTravel,
} from '#platform';
import type { DialogueSpaceState } from '../domain/index.js';
import { DIALOGUE_SPACE_STREAM } from './dialogue-space-stream.js';

/** A dialogue space folded from its stream as of a time travel. */
export type DialogueSpaceSnapshot = StreamSnapshot<DialogueSpaceState>;

/** Each event with the space's states before and after it, oldest first. */
export function dialogueSpaceHistoryOf(
  events: readonly RecordedEvent[],
): HistoryEntry<DialogueSpaceState>[] {
  return streamHistoryOf(DIALOGUE_SPACE_STREAM, events);
}

/** History and time travel of dialogue spaces, read from their streams (the platform's). */
export class DialogueSpaceTimeline {
  private readonly streams: StreamTimeline<DialogueSpaceState>;

  constructor(store: EventStore) {
    this.streams = new StreamTimeline(store, DIALOGUE_SPACE_STREAM);
  }

  historyPage(page: {
    dialogueSpaceId: string;
    first: number;
    before?: number;
    version?: number;
  }): Promise<HistoryPage<DialogueSpaceState>> {
    const { dialogueSpaceId, ...rest } = page;
    return this.streams.historyPage({ streamId: dialogueSpaceId, ...rest });
  }

  snapshot(dialogueSpaceId: string, travel: TimeTravel = {}): Promise<DialogueSpaceSnapshot> {
    return this.streams.snapshot(dialogueSpaceId, travel);
  }
}
