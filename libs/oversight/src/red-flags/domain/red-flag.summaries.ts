import { JUSTIFIED_EVENT } from './red-flag.fold.js';
import type { RedFlagJustified } from './red-flag-justification.js';

/**
 * One line about a red flag's justification: which flag was justified. Never quotes the
 * reason, which the entry shows beside it. Pure; undefined for another event type.
 */
export function summarizeRedFlagEvent(event: {
  type: string;
  data: unknown;
}): { es: string; en: string } | undefined {
  if (event.type !== JUSTIFIED_EVENT) return undefined;
  const { flagId } = (event as RedFlagJustified).data;
  return {
    es: `Justificación de la alerta ${flagId}`,
    en: `Red flag ${flagId} justified`,
  };
}
