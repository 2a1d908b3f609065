import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ForbiddenError, type Actor } from '#platform';
import { InvalidCommand } from '#kernel';
import { PostgresEventStore, Upcasters } from '#event-store';
import { COMMITMENT_UPCASTERS, CommitmentCommandHandler } from '#commitments';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.js';
import { spaceInput } from '../../../test/dialogue-space.fixtures.js';
import { dialogueSpaceStream } from '../domain/index.js';
import { DialogueSpaceCommandHandler } from './dialogue-space-command.handler.js';

// The handler reads the commitments a space names from their streams: each must exist, all
// must share one lead agency, and only that agency's stewards write the space.

const system = { kind: 'trusted' as const, actor: { subject: 'test', role: 'administrator' } };
const NOW = new Date('2023-03-01T15:00:00.000Z');

const stewardOf = (agency: string): Actor => ({
  subject: `steward-${agency}`,
  authenticated: true,
  roles: ['steward'],
  role: 'steward',
  agencies: [agency],
});

const registration = (commitmentId: string, agency: string) => ({
  type: 'RegisterCommitment' as const,
  data: {
    commitmentId,
    code: `CODE-${commitmentId}`,
    title: `Compromiso ${commitmentId}`,
    actionPlanId: 'cartagena-2023',
    startDate: '2023-01-01',
    endDate: '2023-12-31',
    leadAgency: { id: agency, name: `Entidad ${agency}`, offices: [] },
    stakeholders: [],
    policyAreas: [],
    ogpValues: [],
    territories: { localidades: [], comunas: [], corregimientos: [] },
    inclusionGroups: [],
  },
});

describe('the dialogue space command handler', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let handler: DialogueSpaceCommandHandler;

  const record = (data: object, actor: Actor = stewardOf('alcaldia')) =>
    handler.handle({
      command: { type: 'RecordDialogueSpace', data: spaceInput(data) },
      issuer: { kind: 'caller', actor },
      occurredAt: NOW,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    handler = new DialogueSpaceCommandHandler(store, { now: () => new Date('2024-01-01') });
    const commitments = new CommitmentCommandHandler(store);
    for (const [id, agency] of [
      ['c-alcaldia-1', 'alcaldia'],
      ['c-alcaldia-2', 'alcaldia'],
      ['c-hacienda', 'hacienda'],
    ]) {
      await commitments.handle({
        command: registration(id, agency),
        issuer: system,
        occurredAt: NOW,
      });
    }
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it("records the space with its commitments' lead agency, and binds the steward to it", async () => {
    const result = await record({
      dialogueSpaceId: 's-ok',
      commitmentIds: ['c-alcaldia-1', 'c-alcaldia-2'],
      agencyId: 'forged-by-the-caller',
    });

    const [event] = await store.readStream(dialogueSpaceStream('s-ok'));
    expect(result.streamType).toBe('dialogueSpace');
    expect(event.data).toMatchObject({ agencyId: 'alcaldia' });
    expect(event.metadata.actor).toEqual({
      subject: 'steward-alcaldia',
      role: 'steward',
      agency: 'alcaldia',
    });
  });

  it('refuses a commitment that does not exist, naming its place in the list', async () => {
    await expect(
      record({ dialogueSpaceId: 's-unknown', commitmentIds: ['c-alcaldia-1', 'nope'] }),
    ).rejects.toMatchObject({ field: 'commitmentIds.1', rule: 'unknown_commitment' });
    expect(await store.readStream(dialogueSpaceStream('s-unknown'))).toEqual([]);
  });

  it('refuses commitments of two lead agencies', async () => {
    const refusal = record({
      dialogueSpaceId: 's-mixed',
      commitmentIds: ['c-alcaldia-1', 'c-hacienda'],
    });
    await expect(refusal).rejects.toBeInstanceOf(InvalidCommand);
    await expect(refusal).rejects.toMatchObject({ rule: 'one_lead_agency' });
    expect(await store.readStream(dialogueSpaceStream('s-mixed'))).toEqual([]);
  });

  it("refuses a steward of another agency, for a new space and for the space's later commands", async () => {
    await expect(
      record(
        { dialogueSpaceId: 's-foreign', commitmentIds: ['c-alcaldia-1'] },
        stewardOf('hacienda'),
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await store.readStream(dialogueSpaceStream('s-foreign'))).toEqual([]);

    await record({ dialogueSpaceId: 's-held', commitmentIds: ['c-alcaldia-1'], status: 'held' });
    await expect(
      handler.handle({
        command: { type: 'RecordAttendance', data: { dialogueSpaceId: 's-held', total: 3 } },
        issuer: { kind: 'caller', actor: stewardOf('hacienda') },
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await store.readStream(dialogueSpaceStream('s-held'))).toHaveLength(2);
  });

  it('refuses moving a space to commitments of another agency', async () => {
    await record({ dialogueSpaceId: 's-move', commitmentIds: ['c-alcaldia-1'] });
    await expect(
      record(
        { dialogueSpaceId: 's-move', commitmentIds: ['c-hacienda'], reason: 'otra entidad' },
        {
          subject: 'admin',
          authenticated: true,
          roles: ['administrator'],
          role: 'administrator',
          agencies: [],
        },
      ),
    ).rejects.toMatchObject({ field: 'commitmentIds', rule: 'one_lead_agency' });
  });
});
