import { describe, expect, it } from '@jest/globals';

import { InvalidCommand } from './commitment.errors.js';
import { agencyIdFromName, agencyIdOf, agencyIdOfInput, isAgencyId } from './lead-agency.js';
import {
  AGENCY_ID,
  NOW,
  correctEvent,
  corrected,
  histories,
  register,
  registered,
  revise,
  revised,
} from '../../test/commitment.fixtures.js';
import { given } from '../../test/commitment.decider-spec.js';

const OFFICES = registered().data.leadAgency.offices;
const RENAMED = { name: 'Alcaldía Distrital de Cartagena de Indias', offices: OFFICES };

describe('agencyIdFromName', () => {
  it.each([
    ['Secretaría de Planeación Distrital', 'secretaria-de-planeacion-distrital'],
    [
      "District Mayor's Office of Cartagena de Indias",
      'district-mayor-s-office-of-cartagena-de-indias',
    ],
    ['  Oficina Asesora de Comunicaciones  ', 'oficina-asesora-de-comunicaciones'],
    ['Niñez y Adolescencia (IDER) — 2024', 'ninez-y-adolescencia-ider-2024'],
    ['ÁREA DE GESTIÓN #1', 'area-de-gestion-1'],
    ['planeacion', 'planeacion'],
  ])('turns %j into %j', (name, id) => {
    expect(agencyIdFromName(name)).toBe(id);
  });

  it('cuts a long name at 64 characters, without a hyphen at the cut', () => {
    const name = `${'a'.repeat(63)} b`;
    expect(agencyIdFromName(name)).toBe('a'.repeat(63));
    expect(agencyIdFromName('x'.repeat(80))).toBe('x'.repeat(64));
  });

  it('derives nothing from a name without a letter or digit it can keep', () => {
    expect(agencyIdFromName('¿¡ — !?')).toBeUndefined();
    expect(agencyIdFromName('市政府')).toBeUndefined();
  });

  it('derives only ids that isAgencyId accepts', () => {
    for (const name of ['Secretaría de Hacienda', "--l'Agence--", `${'é'.repeat(70)}`]) {
      expect(isAgencyId(agencyIdFromName(name))).toBe(true);
    }
  });
});

describe('agencyIdOf', () => {
  it.each([
    [' planeacion ', 'Otra', { id: 'planeacion' }],
    [undefined, 'Secretaría de Hacienda', { id: 'secretaria-de-hacienda' }],
    [null, 'Secretaría de Hacienda', { id: 'secretaria-de-hacienda' }],
    [undefined, '— 2 —', { id: '2' }],
    [undefined, '—', { problem: 'underivable' }],
    [undefined, 42, { problem: 'underivable' }],
    [7, 'Secretaría de Hacienda', { problem: 'not_text' }],
    ['  ', 'Secretaría de Hacienda', { problem: 'blank' }],
    ['Not An Id', 'Secretaría de Hacienda', { problem: 'invalid' }],
  ])('gives id %j with name %j %j', (id, name, outcome) => {
    expect(agencyIdOf(id, name)).toEqual(outcome);
  });
});

describe('agencyIdOfInput', () => {
  it('is the id given, else the one the name derives, else nothing', () => {
    expect(agencyIdOfInput({ id: ' planeacion ', name: 'Otra' })).toBe('planeacion');
    expect(agencyIdOfInput({ name: 'Secretaría de Hacienda' })).toBe('secretaria-de-hacienda');
    expect(agencyIdOfInput({ id: 'Not An Id', name: 'Secretaría de Hacienda' })).toBeUndefined();
    expect(agencyIdOfInput(undefined)).toBeUndefined();
  });
});

describe('when empty', () => {
  it('records the lead agency id it is given', () => {
    given([])
      .when(register({ leadAgency: { id: ' ider ', name: 'IDER', offices: [] } }))
      .then([
        {
          type: 'CommitmentRegistered',
          data: {
            ...registered().data,
            leadAgency: { id: 'ider', name: 'IDER', offices: [] },
            registeredAt: NOW,
          },
        },
      ]);
  });

  it('derives the id from the name when none is given, and records it', () => {
    given([])
      .when(register({ leadAgency: { name: 'Secretaría de Planeación Distrital' } }))
      .then([
        {
          type: 'CommitmentRegistered',
          data: {
            ...registered().data,
            leadAgency: {
              id: 'secretaria-de-planeacion-distrital',
              name: 'Secretaría de Planeación Distrital',
              offices: [],
            },
            registeredAt: NOW,
          },
        },
      ]);
  });

  it.each([
    ['upper-case letters', 'Planeacion', 'format'],
    ['spaces', 'secretaria de planeacion', 'format'],
    ['an accent', 'planeación', 'format'],
    ['a leading hyphen', '-planeacion', 'format'],
    ['two hyphens in a row', 'secretaria--planeacion', 'format'],
    ['an underscore', 'secretaria_planeacion', 'format'],
    ['65 characters', 'a'.repeat(65), 'format'],
    ['a number', 42, 'format'],
    ['nothing but spaces', '  ', 'required'],
  ])('refuses an id with %s', (_label, id, rule) => {
    given([])
      .when(register({ leadAgency: { id: id as string, name: 'Secretaría de Planeación' } }))
      .thenFails(InvalidCommand, { field: 'leadAgency.id', rule });
  });

  it('asks for an id when the name has nothing to derive one from', () => {
    given([])
      .when(register({ leadAgency: { name: '¿ — ?' } }))
      .thenFails(InvalidCommand, { field: 'leadAgency.id', rule: 'required' });
  });
});

describe('when draft', () => {
  const draft = histories.draft;

  it('keeps the id when the agency is renamed without one', () => {
    given(draft)
      .when(revise({ leadAgency: RENAMED }))
      .then([revised({ leadAgency: { id: AGENCY_ID, ...RENAMED } })]);
  });

  it('takes a rename that repeats the id', () => {
    given(draft)
      .when(revise({ leadAgency: { id: AGENCY_ID, ...RENAMED } }))
      .then([revised({ leadAgency: { id: AGENCY_ID, ...RENAMED } })]);
  });

  it('refuses a revision that gives another id, even with the same name', () => {
    given(draft)
      .when(revise({ leadAgency: { ...registered().data.leadAgency, id: 'hacienda' } }))
      .thenFails(InvalidCommand, { field: 'changes.leadAgency.id', rule: 'unchangeable' });
  });

  it('refuses a malformed id in a revision', () => {
    given(draft)
      .when(revise({ leadAgency: { id: 'Alcaldía', ...RENAMED } }))
      .thenFails(InvalidCommand, { field: 'changes.leadAgency.id', rule: 'format' });
  });

  it('keeps the id when a correction renames the agency of the registration', () => {
    const [event] = given(draft)
      .when(correctEvent({ eventId: 'event-1', corrected: { leadAgency: RENAMED } }))
      .then([
        corrected({
          correctedEventId: 'event-1',
          correctedEventType: 'CommitmentRegistered',
          reason: 'El dato se digitó mal',
          replacement: {
            type: 'CommitmentRegistered',
            data: { ...registered().data, leadAgency: { id: AGENCY_ID, ...RENAMED } },
          },
        }),
      ]);
    expect(event.type).toBe('EventCorrected');
  });

  it('refuses a correction of the registration that gives another id', () => {
    given(draft)
      .when(
        correctEvent({
          eventId: 'event-1',
          corrected: { leadAgency: { id: 'hacienda', ...RENAMED } },
        }),
      )
      .thenFails(InvalidCommand, { field: 'corrected.leadAgency.id', rule: 'unchangeable' });
  });

  it('refuses a correction of a rename that gives another id', () => {
    given([...draft, revised({ leadAgency: { id: AGENCY_ID, ...RENAMED } })])
      .when(
        correctEvent({
          eventId: 'event-4',
          corrected: { changes: { leadAgency: { id: 'hacienda', ...RENAMED } } },
        }),
      )
      .thenFails(InvalidCommand, {
        field: 'corrected.changes.leadAgency.id',
        rule: 'unchangeable',
      });
  });
});

describe('when the agency was renamed before agencies had ids', () => {
  // An old rename reads with the id its new name derives (the upcaster's rule): stewards were
  // then matched by name, so the commitment went to the new name's stewards.
  const renamedOld = [
    ...histories.draft,
    revised({ leadAgency: { id: 'alcaldia-distrital', name: 'Alcaldía Distrital', offices: [] } }),
  ];

  it('refuses to retract the rename, which would give the commitment back to the old id', () => {
    given(renamedOld)
      .when(correctEvent({ eventId: 'event-4', corrected: undefined }))
      .thenFails(InvalidCommand, { field: 'eventId', rule: 'unchangeable' });
  });

  it('keeps the id the rename gave when the name is revised again', () => {
    given(renamedOld)
      .when(revise({ leadAgency: RENAMED }))
      .then([revised({ leadAgency: { id: 'alcaldia-distrital', ...RENAMED } })]);
  });
});
