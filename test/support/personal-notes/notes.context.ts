import type { ContextDefinition } from '#platform';
import { TestNotesModule } from './notes.graphql.js';
import { NOTES_PERSONAL_DATA } from './notes.stream.js';

/** A test-only context that declares personal fields (never in `CONTEXTS`). */
export const testNotesContext: ContextDefinition = {
  name: 'test-notes',
  module: () => TestNotesModule.forRoot(),
  readModels: [],
  upcasters: [],
  publicReadQueries: [],
  personalData: NOTES_PERSONAL_DATA,
};
