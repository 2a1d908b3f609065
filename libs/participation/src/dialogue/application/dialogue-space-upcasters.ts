import type { Upcaster } from '#event-store';

/** Old shapes of the dialogue space events: none yet, every type is at its first version. */
export const DIALOGUE_SPACE_UPCASTERS: readonly Upcaster[] = [];
