import type { DynamicModule } from '@nestjs/common';
import type { EventStore, Upcaster } from '#event-store';
import type { Config } from '../config/config.js';
import type { ContextEventDescriptions } from './event-descriptions.js';
import type { PersonalDataDeclaration } from '../personal-data/personal-data.js';
import type { ReadModel } from '../projections/projections.module.js';

/** What the API hands every context's module: the shared, validated configuration. */
export interface ContextModuleOptions {
  config: Config;
  /**
   * Every context the API serves (itself included), for a context that reads across all of
   * them through their definitions (the audit log reads `eventDescriptions`).
   */
  contexts?: readonly ContextDefinition[];
}

/**
 * What `cuenta import` made of a file a context reads: the commands it will run. Running it
 * again records nothing new (command ids are derived from the entries).
 */
export interface ImportPlan {
  /**
   * Runs the commands in order, stopping at the first refusal.
   * @throws ImportEntryError naming the entry refused; the commands before it stay recorded
   */
  run(store: EventStore): Promise<ImportOutcome>;
}

export interface ImportOutcome {
  /** What the file was about, counted: `{ count: 1, noun: 'commitment' }`. */
  subjects: { count: number; noun: string };
  /** Commands that wrote events now. */
  recorded: number;
  /** Commands an earlier import had already recorded (nothing written). */
  alreadyRecorded: number;
}

/** A context's reader of import files (`cuenta import`, docs/import.md). */
export interface ContextImporter {
  /** The `format` value of the files it reads, e.g. `cuenta-import/1`. */
  readonly format: string;
  /**
   * Checks a parsed JSON file and turns it into commands; writes nothing.
   * @throws InvalidInputError naming the first malformed entry
   */
  read(file: unknown): ImportPlan;
}

/** Data a context shows on a fresh server (`CUENTA_DEMO`, see demoSetting). */
export interface ContextDemo {
  /** For the start-up log line: `the Cartagena 2023 demo`. */
  readonly name: string;
  /**
   * Records the demo's commands into a log that was empty at start. Its command ids make a
   * second run (another replica starting at the same time) record nothing new.
   * @returns the number of commands run
   */
  load(store: EventStore): Promise<number>;
}

/**
 * Everything the apps, the test harness and the benchmarks need from one bounded context.
 * Each context's library exports one; `#contexts` lists them (docs/adding-a-context.md).
 */
export interface ContextDefinition {
  /** Stable, lower-case: `commitments`. */
  readonly name: string;
  /** The context's Nest module: command handlers, queries, its GraphQL surface. */
  module(options: ContextModuleOptions): DynamicModule;
  /** Its read models: tables, their migrations, the projections that feed them. */
  readonly readModels: readonly ReadModel[];
  /** Old shapes of its events, read as its domain now expects them. */
  readonly upcasters: readonly Upcaster[];
  /**
   * Root query fields anyone may read whose answers depend only on the log (the read cache
   * keeps them until the log grows).
   */
  readonly publicReadQueries: readonly string[];
  /** Its import file format, if it has one. */
  readonly importer?: ContextImporter;
  /** Its demo data, if it has any. */
  readonly demo?: ContextDemo;
  /**
   * Which members of which of its events are personal (docs/privacy.md), e.g.
   * `{ EvaluationSubmitted: { '/comment': 'comment', '/groups': 'sensitive' } }`. The API
   * runs the personal-data store when any context declares some; the context's command
   * handlers seal those members before the append, so the log holds only commitments.
   */
  readonly personalData?: PersonalDataDeclaration;
  /**
   * How its events read in the whole log (the audit log): a one-line summary of each, in
   * Spanish and English, and its stream kinds, folded to show what each event changed.
   */
  readonly eventDescriptions?: ContextEventDescriptions;
}
