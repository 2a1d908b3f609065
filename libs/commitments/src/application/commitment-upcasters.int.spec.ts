import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore, Upcasters, type NewEvent } from '#event-store';
import { ForbiddenError, type Actor } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { commitmentStream } from '../domain/index.js';
import { CommitmentCommandHandler, type CommandIssuer } from './commitment-command.handler.js';
import { EventNotUpcastError, foldRecorded, readCommitmentStream } from './commitment-stream.js';
import { COMMITMENT_UPCASTERS } from './commitment-upcasters.js';

// Events written before lead agencies had ids, stored as they were (schema version 1) and
// read back through the upcasters, as a log that predates the change is.

const steward = (agencies: string[]): CommandIssuer => ({
  kind: 'caller',
  actor: {
    subject: 'ana',
    authenticated: true,
    roles: ['steward'],
    agencies,
    role: 'steward',
  } as Actor,
});

const oldActor = { subject: 'ana', role: 'steward', agency: 'Secretaría de Planeación' };

/** A registration as version 1 recorded it: the lead agency by name only. */
const registeredV1 = (commitmentId: string, agencyName: string): NewEvent => ({
  type: 'CommitmentRegistered',
  schemaVersion: 1,
  data: {
    commitmentId,
    code: `Old-${commitmentId}`,
    title: 'Estrategia de rendición de cuentas',
    actionPlanId: 'cartagena-2023',
    startDate: '2023-01-01',
    endDate: '2023-12-31',
    leadAgency: { name: agencyName, offices: ['Oficina Asesora de Comunicaciones'] },
    stakeholders: [],
    policyAreas: [],
    ogpValues: [],
    territories: { localidades: [], comunas: [], corregimientos: [] },
    inclusionGroups: [],
    registeredAt: '2023-01-10T14:00:00.000Z',
  },
  metadata: { actor: oldActor, occurredAt: '2023-01-10T14:00:00.000Z' },
});

const revisedV1 = (commitmentId: string, agencyName: string): NewEvent => ({
  type: 'CommitmentRevised',
  schemaVersion: 1,
  data: {
    commitmentId,
    changes: { leadAgency: { name: agencyName, offices: [] } },
    reason: 'La secretaría cambió de nombre',
  },
  metadata: { actor: oldActor, occurredAt: '2023-02-10T14:00:00.000Z' },
});

describe('commitment events of schema version 1', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let handler: CommitmentCommandHandler;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    handler = new CommitmentCommandHandler(store);
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('reads a stored registration with the id its name derives, and keeps it as stored', async () => {
    await store.append(
      commitmentStream('old-1'),
      [registeredV1('old-1', 'Secretaría de Planeación Distrital')],
      'no_stream',
    );

    const [read] = await store.readStream(commitmentStream('old-1'));
    const [raw] = await store.readAll({
      filter: { streams: [commitmentStream('old-1')] },
      raw: true,
    });

    expect(read.schemaVersion).toBe(2);
    expect(read.data.leadAgency).toEqual({
      id: 'secretaria-de-planeacion-distrital',
      name: 'Secretaría de Planeación Distrital',
      offices: ['Oficina Asesora de Comunicaciones'],
    });
    expect(raw.schemaVersion).toBe(1);
    expect(raw.data.leadAgency).toEqual({
      name: 'Secretaría de Planeación Distrital',
      offices: ['Oficina Asesora de Comunicaciones'],
    });
  });

  it("lets the stewards of the derived id write, and records the id as the actor's agency", async () => {
    await store.append(
      commitmentStream('old-2'),
      [registeredV1('old-2', 'Secretaría de Planeación')],
      'no_stream',
    );
    const milestone = {
      type: 'AddMilestone' as const,
      data: {
        commitmentId: 'old-2',
        milestoneId: 'm1',
        title: 'Estrategia',
        responsibleOffice: 'Secretaría de Planeación',
        plannedStart: '2023-01',
        plannedEnd: '2023-06',
      },
    };

    const byName = await handler
      .handle({ command: milestone, issuer: steward(['Secretaría de Planeación']) })
      .catch((e: unknown) => e);
    await handler.handle({ command: milestone, issuer: steward(['secretaria-de-planeacion']) });
    const events = await readCommitmentStream(store, 'old-2');

    expect(byName).toBeInstanceOf(ForbiddenError);
    expect(events.map((e) => e.metadata.actor)).toEqual([
      oldActor,
      { subject: 'ana', role: 'steward', agency: 'secretaria-de-planeacion' },
    ]);
  });

  it('reads an old rename with the id of its new name, as stewards were then matched by name', async () => {
    await store.append(
      commitmentStream('old-3'),
      [
        registeredV1('old-3', 'Secretaría de Planeación'),
        revisedV1('old-3', 'Planeación Distrital'),
      ],
      'no_stream',
    );

    const state = foldRecorded(await readCommitmentStream(store, 'old-3'));

    expect(state.status !== 'empty' && state.leadAgency).toEqual({
      id: 'planeacion-distrital',
      name: 'Planeación Distrital',
      offices: [],
    });
  });

  it('upcasts the registration a stored correction restates', async () => {
    const stream = commitmentStream('old-4');
    const replacement = registeredV1('old-4', 'Secretaría de Planeación');
    await store.append(stream, [replacement], 'no_stream');
    const [registration] = await store.readStream(stream);
    await store.append(
      stream,
      [
        {
          type: 'EventCorrected',
          schemaVersion: 1,
          data: {
            commitmentId: 'old-4',
            correctedEventId: registration.id,
            correctedEventType: 'CommitmentRegistered',
            reason: 'El título se digitó mal',
            correctedAt: '2023-01-11T14:00:00.000Z',
            replacement: {
              type: 'CommitmentRegistered',
              data: { ...replacement.data, title: 'Estrategia integral' },
            },
          },
          metadata: { actor: oldActor, occurredAt: '2023-01-11T14:00:00.000Z' },
        },
      ],
      1,
    );

    const [, correction] = await store.readStream(stream);
    const state = foldRecorded([registration, correction]);

    expect(correction.schemaVersion).toBe(2);
    expect(correction.data).toMatchObject({
      replacement: {
        type: 'CommitmentRegistered',
        data: { leadAgency: { id: 'secretaria-de-planeacion', name: 'Secretaría de Planeación' } },
      },
    });
    expect(state.status !== 'empty' && [state.title, state.leadAgency.id]).toEqual([
      'Estrategia integral',
      'secretaria-de-planeacion',
    ]);
  });

  it('refuses to fold an old event read without the upcasters', async () => {
    await store.append(
      commitmentStream('old-5'),
      [registeredV1('old-5', 'Secretaría de Planeación')],
      'no_stream',
    );
    const plain = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
    try {
      const events = await readCommitmentStream(plain, 'old-5');
      expect(() => foldRecorded(events)).toThrow(EventNotUpcastError);
    } finally {
      await plain.close();
    }
  });
});
