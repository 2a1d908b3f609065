import { describe, expect, it } from '@jest/globals';
import type { EventStore, NewEvent } from '#event-store';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import type { PersonalDataStore, SealResult } from '../personal-data/personal-data.store.js';
import { CommandHandler, type CommandStreamType } from './command-handler.js';
import { receiptOf, sealEvents } from './personal-sealing.js';

const event = (type: string, id: string): NewEvent => ({
  id,
  type,
  data: { text: 'hola' },
  metadata: { actor: null },
});

/** A store that must not be called. */
const untouched = {
  seal: () => {
    throw new Error('the store was called');
  },
} as unknown as PersonalDataStore;

describe('sealing a command’s events', () => {
  it('refuses personal data for a stream that declares none, naming `personal`', async () => {
    await expect(
      sealEvents(undefined, undefined, [event('Noted', 'e1')], { authorization: undefined }),
    ).rejects.toThrow(InvalidInputError);
  });

  it('leaves events of undeclared types alone, without calling the store', async () => {
    const events = [event('Other', 'e1')];
    const sealed = await sealEvents(untouched, { Noted: { '/text': 'comment' } }, events, {});
    expect(sealed).toEqual({ events, sealed: undefined });
  });

  it('gives the author the positions of the events holding values, salts and the secret', () => {
    const sealed: SealResult = {
      events: [],
      subjectId: 'subject',
      receiptSecret: 'secret',
      values: [
        { ref: 'r', eventId: 'e2', path: '/text', kind: 'comment', salt: 'salt', commitment: 'c' },
      ],
    };
    const receipt = receiptOf(sealed, [
      { id: 'e1', position: 7 },
      { id: 'e2', position: 8 },
    ]);
    expect(receipt).toEqual({
      subjectId: 'subject',
      position: 8,
      positions: [8],
      eventIds: ['e2'],
      values: [{ eventId: 'e2', path: '/text', salt: 'salt', commitment: 'c' }],
      secret: 'secret',
    });
  });

  it('will not run a stream with personal fields without the store', () => {
    const streamType = {
      name: 'note',
      personalData: { Noted: { '/text': 'comment' } },
    } as unknown as CommandStreamType<never, never, never, never>;
    expect(() => new CommandHandler({} as EventStore, streamType)).toThrow(
      /note stream declares personal data: its command handler needs the personal-data store/,
    );
  });
});
