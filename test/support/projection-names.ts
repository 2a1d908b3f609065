import { CONTEXTS } from '#contexts';

/**
 * The name of every projection the contexts run, in the order the CLI runs and lists them,
 * so that tests of one context's projection do not have to list every other context's.
 */
export const PROJECTION_NAMES: readonly string[] = CONTEXTS.flatMap((context) => context.readModels)
  .flatMap((model) =>
    // Naming a projection needs neither the store nor the database.
    model.projections({ store: undefined as never, dataSource: undefined as never }),
  )
  .map((projection) => projection.name);

/** The projections other than `name`'s. */
export function projectionsOtherThan(name: string): string[] {
  return PROJECTION_NAMES.filter((other) => other !== name);
}
