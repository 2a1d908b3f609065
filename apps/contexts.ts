import { commitmentsContext } from '#commitments';
import { openDataContext } from '#open-data';
import { oversightContext } from '#oversight';
import { participationContext } from '#participation';
import type { ContextDefinition } from '#platform';

/**
 * Every bounded context Cuenta runs, in one list: the API, the CLI, the test harness and the
 * benchmarks all read it. Registering a context is one entry here (docs/adding-a-context.md).
 */
export const CONTEXTS: readonly ContextDefinition[] = [
  commitmentsContext,
  participationContext,
  oversightContext,
  openDataContext,
];
