// The participation context's demo data: each part's, loaded in this order through
// `participationContext.demo`, after the commitments demo. Not part of the index.
import { loadDialogueDemo } from './dialogue.js';
import type { ParticipationDemo } from './participation-demo.js';
import { prioritizationDemo } from './prioritization.js';

export type { ParticipationDemo } from './participation-demo.js';

export const PARTICIPATION_DEMOS: readonly ParticipationDemo[] = [
  { part: 'dialogue spaces', load: loadDialogueDemo },
  prioritizationDemo,
];
