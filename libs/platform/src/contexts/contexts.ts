import { Upcasters } from '#event-store';
import { checkDeclaration, type PersonalDataDeclaration } from '../personal-data/personal-data.js';
import type { ReadModel } from '../projections/projections.module.js';
import type { ContextDefinition, ContextDemo, ContextImporter } from './context-definition.js';

/** Every context's upcasters in one registry, for opening the event store. */
export function contextUpcasters(contexts: readonly ContextDefinition[]): Upcasters {
  return new Upcasters(contexts.flatMap((context) => context.upcasters));
}

/** Every context's read models, for the projection runner and the read database. */
export function contextReadModels(contexts: readonly ContextDefinition[]): ReadModel[] {
  return contexts.flatMap((context) => context.readModels);
}

/** The read models' entities and migrations, as `openReadDatabase` takes them. */
export function contextReadSchema(contexts: readonly ContextDefinition[]): {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's types
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's types
  migrations: Function[];
} {
  const readModels = contextReadModels(contexts);
  return {
    entities: readModels.flatMap((model) => model.entities),
    migrations: readModels.flatMap((model) => model.migrations),
  };
}

/** Every context's public read queries, for the read cache. */
export function contextPublicReadQueries(contexts: readonly ContextDefinition[]): string[] {
  return contexts.flatMap((context) => context.publicReadQueries);
}

/** Every context's demo, in the list's order. */
export function contextDemos(contexts: readonly ContextDefinition[]): ContextDemo[] {
  return contexts.flatMap((context) => (context.demo ? [context.demo] : []));
}

/**
 * The importer of the file's `format`; when no context reads it, the first importer, whose
 * own check then names the format it expects. Undefined when no context imports anything.
 */
export function importerFor(
  contexts: readonly ContextDefinition[],
  file: unknown,
): ContextImporter | undefined {
  const importers = contexts.flatMap((context) => (context.importer ? [context.importer] : []));
  const format =
    typeof file === 'object' && file !== null ? (file as { format?: unknown }).format : undefined;
  return importers.find((importer) => importer.format === format) ?? importers[0];
}

/**
 * Every context's personal fields in one declaration, checked; undefined when no context
 * declares any (the API then runs no personal-data store). Event type names are global, so
 * two contexts declaring the same event type is a mistake.
 */
export function contextPersonalData(
  contexts: readonly ContextDefinition[],
): PersonalDataDeclaration | undefined {
  const merged: Record<string, PersonalDataDeclaration[string]> = {};
  for (const context of contexts) {
    for (const [eventType, fields] of Object.entries(context.personalData ?? {})) {
      if (Object.hasOwn(merged, eventType)) {
        throw new Error(`${context.name}: personal fields of ${eventType} are declared twice`);
      }
      merged[eventType] = fields;
    }
  }
  return Object.keys(merged).length === 0 ? undefined : checkDeclaration(merged);
}
