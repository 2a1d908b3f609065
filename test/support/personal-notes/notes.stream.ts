import type { DomainError } from '#kernel';
import { InvalidInputError, type CommandStreamType } from '#platform';

// A test-only context's stream (never shipped): a person leaves a note about something, with
// a public comment, a contact and self-declared groups, all three declared personal.

export interface LeaveNote {
  type: 'LeaveNote';
  data: { noteId: string; about: string; text: string; contact?: string; groups?: string[] };
}
export interface NoteLeft {
  type: 'NoteLeft';
  data: { noteId: string; about: string; text: unknown; contact?: unknown; groups?: unknown };
}
export type StoredNoteLeft = NoteLeft & { id: string };
export type NoteState = { left: boolean };

/** Which of a note's members are personal: the context's `personalData`. */
export const NOTES_PERSONAL_DATA = {
  NoteLeft: { '/text': 'comment', '/contact': 'contact', '/groups': 'sensitive' },
} as const;

function refuse(field: string, rule: string): never {
  throw new InvalidInputError(field, rule) as unknown as DomainError;
}

export const NOTES_STREAM: CommandStreamType<LeaveNote, NoteLeft, NoteState, StoredNoteLeft> = {
  name: 'note',
  streamOf: (id) => `note-${id}`,
  schemaVersions: { NoteLeft: 1 },
  upcasters: 'none',
  streamIdOf: (command) => command.data.noteId,
  agencyOf: () => undefined,
  agencyOfNew: () => undefined,
  personalData: NOTES_PERSONAL_DATA,
  decider: {
    initialState: { left: false },
    // The decider sees the real values and checks them; messages never quote them.
    decide(command, state) {
      if (state.left) refuse('noteId', 'a note with this id was left already');
      const { noteId, about, text, contact, groups } = command.data;
      if (typeof text !== 'string' || text.trim() === '') refuse('text', 'must not be empty');
      if (contact !== undefined && !/^[^@\s]+@[^@\s]+$/.test(contact)) {
        refuse('contact', 'must be an e-mail address');
      }
      return [
        {
          type: 'NoteLeft',
          data: {
            noteId,
            about,
            text,
            ...(contact !== undefined ? { contact } : {}),
            ...(groups !== undefined ? { groups } : {}),
          },
        },
      ];
    },
    evolve: () => ({ left: true }),
  },
};
