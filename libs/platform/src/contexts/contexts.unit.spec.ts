import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '#ledger';
import type { ReadModel } from '../projections/projections.module.js';
import type { ContextDefinition, ContextImporter } from './context-definition.js';
import {
  contextDemos,
  contextPersonalData,
  contextPublicReadQueries,
  contextReadSchema,
  contextUpcasters,
  importerFor,
} from './contexts.js';

class RowA {}
class RowB {}
class MigrationA {}
class MigrationB {}

const importer = (format: string): ContextImporter => ({
  format,
  read: () => ({
    run: async () => ({ subjects: { count: 0, noun: format }, recorded: 0, alreadyRecorded: 0 }),
  }),
});

const readModel = (entity: object, migration: object): ReadModel =>
  ({ entities: [entity], migrations: [migration], projections: () => [] }) as unknown as ReadModel;

const context = (name: string, parts: Partial<ContextDefinition> = {}): ContextDefinition => ({
  name,
  module: () => ({ module: class {} }),
  readModels: [],
  upcasters: [],
  publicReadQueries: [],
  ...parts,
});

describe('the list of contexts', () => {
  const first = context('first', {
    readModels: [readModel(RowA, MigrationA)],
    publicReadQueries: ['things'],
    importer: importer('first-import/1'),
    demo: { name: 'the first demo', load: async () => 1 },
    upcasters: [{ type: 'ThingAdded', from: 1, upcast: (data) => ({ ...data, v: 2 }) }],
  });
  const second = context('second', {
    readModels: [readModel(RowB, MigrationB)],
    publicReadQueries: ['others'],
    importer: importer('second-import/1'),
  });
  const contexts = [first, second];

  it("gathers every context's read schema and public read queries, in the list's order", () => {
    expect(contextReadSchema(contexts)).toEqual({
      entities: [RowA, RowB],
      migrations: [MigrationA, MigrationB],
    });
    expect(contextPublicReadQueries(contexts)).toEqual(['things', 'others']);
  });

  it("registers every context's upcasters", () => {
    const event = {
      type: 'ThingAdded',
      schemaVersion: 1,
      data: { a: 1 },
    } as unknown as EventEnvelope;
    expect(contextUpcasters(contexts).apply(event)).toMatchObject({
      schemaVersion: 2,
      data: { a: 1, v: 2 },
    });
  });

  it('lists only the demos there are', () => {
    expect(contextDemos(contexts).map((demo) => demo.name)).toEqual(['the first demo']);
  });

  it("picks the importer of the file's format", () => {
    expect(importerFor(contexts, { format: 'second-import/1' })?.format).toBe('second-import/1');
  });

  it('falls back to the first importer, whose own check names its format', () => {
    expect(importerFor(contexts, { format: 'unknown/9' })?.format).toBe('first-import/1');
    expect(importerFor(contexts, 'not an object')?.format).toBe('first-import/1');
  });

  it('finds no importer when no context imports anything', () => {
    expect(importerFor([context('plain')], { format: 'first-import/1' })).toBeUndefined();
  });

  it("joins the contexts' personal fields, and is undefined when none declares any", () => {
    const notes = context('notes', { personalData: { NotePosted: { '/email': 'contact' } } });
    const votes = context('votes', { personalData: { VoteCast: { '/groups': 'sensitive' } } });
    expect(contextPersonalData([notes, context('plain'), votes])).toEqual({
      NotePosted: { '/email': 'contact' },
      VoteCast: { '/groups': 'sensitive' },
    });
    expect(contextPersonalData([context('plain')])).toBeUndefined();
  });

  it('refuses an event type two contexts both declare, or a field that is no pointer', () => {
    const notes = context('notes', { personalData: { NotePosted: { '/email': 'contact' } } });
    expect(() => contextPersonalData([notes, notes])).toThrow(/NotePosted.*declared twice/);
    const bad = context('bad', { personalData: { NotePosted: { email: 'contact' } } });
    expect(() => contextPersonalData([bad])).toThrow(/not a JSON Pointer/);
  });
});
