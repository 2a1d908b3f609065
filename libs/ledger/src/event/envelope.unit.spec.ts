import { describe, expect, it } from '@jest/globals';

import { toHex } from '../../test/support/fixtures.js';
import { InvalidEnvelopeError } from '../errors.js';
import { leafBytesOf, parseEventEnvelope, type EventEnvelope } from './envelope.js';

const envelope = (): EventEnvelope => ({
  id: '0b9e3f64-5c3a-4c2e-9f0d-6f1e2a3b4c5d',
  stream: 'commitment-cartagena-2023',
  streamVersion: 1,
  position: 0,
  type: 'CommitmentRegistered',
  schemaVersion: 1,
  data: { title: '#CartagenaCuenta 2023', milestones: 7 },
  metadata: {
    actor: { subject: 'u-1', role: 'official', agency: 'Alcaldía de Cartagena' },
    occurredAt: '2023-03-01T00:00:00.000Z',
    recordedAt: '2023-03-01T12:30:00.000Z',
  },
});

describe('leafBytesOf', () => {
  it('is the UTF-8 of the canonical JSON, members sorted at every level', () => {
    expect(new TextDecoder().decode(leafBytesOf(envelope()))).toBe(
      '{"data":{"milestones":7,"title":"#CartagenaCuenta 2023"},' +
        '"id":"0b9e3f64-5c3a-4c2e-9f0d-6f1e2a3b4c5d",' +
        '"metadata":{"actor":{"agency":"Alcaldía de Cartagena","role":"official","subject":"u-1"},' +
        '"occurredAt":"2023-03-01T00:00:00.000Z","recordedAt":"2023-03-01T12:30:00.000Z"},' +
        '"position":0,"schemaVersion":1,"stream":"commitment-cartagena-2023","streamVersion":1,' +
        '"type":"CommitmentRegistered"}',
    );
  });

  it('does not depend on the order members were written in', () => {
    const a = envelope();
    const b = {
      type: a.type,
      metadata: {
        recordedAt: a.metadata.recordedAt,
        occurredAt: a.metadata.occurredAt,
        actor: a.metadata.actor,
      },
      data: { milestones: 7, title: '#CartagenaCuenta 2023' },
      schemaVersion: 1,
      position: 0,
      streamVersion: 1,
      stream: a.stream,
      id: a.id,
    };
    expect(toHex(leafBytesOf(b))).toBe(toHex(leafBytesOf(a)));
  });

  it('changes when any field changes', () => {
    const changed = envelope();
    changed.data = { title: '#CartagenaCuenta 2023', milestones: 8 };
    expect(toHex(leafBytesOf(changed))).not.toBe(toHex(leafBytesOf(envelope())));
  });
});

describe('parseEventEnvelope', () => {
  it('accepts a complete envelope and a system event with a null actor and optional fields', () => {
    expect(parseEventEnvelope(envelope())).toEqual(envelope());
    const system = {
      ...envelope(),
      metadata: {
        actor: null,
        occurredAt: '2023-03-01T00:00:00-05:00',
        recordedAt: '2023-03-01T05:00:00Z',
        reason: '',
        correlationId: 'c',
        causationId: 'd',
        commandId: 'e',
      },
    };
    expect(parseEventEnvelope(system)).toEqual(system);
  });

  it.each([
    ['a non-object', 'x', ''],
    ['an id that is not a UUID', { ...envelope(), id: 'abc' }, '/id'],
    ['stream version 0', { ...envelope(), streamVersion: 0 }, '/streamVersion'],
    ['a negative position', { ...envelope(), position: -1 }, '/position'],
    ['a fractional position', { ...envelope(), position: 1.5 }, '/position'],
    ['an empty type', { ...envelope(), type: '' }, '/type'],
    ['array data', { ...envelope(), data: [] }, '/data'],
    ['an unknown member', { ...envelope(), extra: 1 }, '/extra'],
    [
      'a missing actor',
      { ...envelope(), metadata: { occurredAt: 'x', recordedAt: 'y' } },
      '/metadata/actor',
    ],
    [
      'an actor without role',
      { ...envelope(), metadata: { ...envelope().metadata, actor: { subject: 's' } } },
      '/metadata/actor/role',
    ],
    [
      'a date without zone',
      { ...envelope(), metadata: { ...envelope().metadata, occurredAt: '2023-03-01T00:00:00' } },
      '/metadata/occurredAt',
    ],
    [
      'an unknown metadata member',
      { ...envelope(), metadata: { ...envelope().metadata, ip: '1.2.3.4' } },
      '/metadata/ip',
    ],
  ])('rejects %s, naming the path', (_what, value, path) => {
    let caught: unknown;
    try {
      parseEventEnvelope(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEnvelopeError);
    expect((caught as InvalidEnvelopeError).path).toBe(path);
    expect((caught as InvalidEnvelopeError).code).toBe('INVALID_ENVELOPE');
  });
});
