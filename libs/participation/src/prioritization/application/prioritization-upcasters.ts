import type { Upcaster } from '#event-store';

/** Every prioritization event is still at schema version 1: nothing to upcast yet. */
export const PRIORITIZATION_UPCASTERS: readonly Upcaster[] = [];
