import type { EventStore } from '#event-store';
import { loadDialogueDemo } from './dialogue.js';

/** One part's demo: what it records into a log whose commitments demo is loaded. */
export interface ParticipationDemoPart {
  name: string;
  load(store: EventStore): Promise<number>;
}

/** The participation demo's parts, loaded in this order after the commitments demo. */
export const PARTICIPATION_DEMOS: readonly ParticipationDemoPart[] = [
  { name: 'dialogue spaces', load: loadDialogueDemo },
];
