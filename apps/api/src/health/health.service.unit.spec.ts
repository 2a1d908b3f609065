import { Logger } from '@nestjs/common';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '#event-store';
import type { ProjectionRunner, ProjectionStatus } from '#platform';
import { HealthService } from './health.service.js';

const stall = {
  projection: 'commitments',
  checkpoint: 7,
  error: 'cannot apply',
  since: new Date('2026-11-24T04:00:00Z'),
  attempts: 3,
};
const parkedAt = new Date('2026-11-24T04:30:00Z');

/**
 * A service over a log whose head read gives `head` and a runner whose status read gives
 * `status`; ready while no projection is more than `maxLag` events behind.
 */
function service(
  head: () => Promise<number>,
  status: () => Promise<ProjectionStatus[]>,
  maxLag = 1000,
) {
  const store = { head } as unknown as EventStore;
  const runner = { status } as unknown as ProjectionRunner;
  return new HealthService({ maxLag }, store, runner);
}

/** A projection that holds the log up to, not including, `checkpoint`. */
const at = (projection: string, checkpoint: number): ProjectionStatus => ({
  projection,
  checkpoint,
  stall: null,
  parked: [],
});

const refused = (): Promise<never> => Promise.reject(new Error('connection refused'));

describe('HealthService', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('reports the head, the stalls and the parked positions when every read answers', async () => {
    const report = await service(
      async () => 9,
      async () => [
        {
          projection: 'commitments',
          checkpoint: 7,
          stall,
          parked: [3, 5].map((position) => ({
            projection: 'commitments',
            position,
            eventId: `event-${position}`,
            stream: 'commitment-x',
            type: 'CommitmentRegistered',
            error: 'cannot apply',
            reason: 'hand-written',
            parkedAt,
            parkedBy: 'ana',
          })),
        },
      ],
    ).check();

    expect(report).toMatchObject({
      status: 'ok',
      database: { reachable: true, error: null },
      eventStore: { head: 9 },
      projections: {
        stalled: [stall],
        parked: [{ projection: 'commitments', count: 2, positions: [3, 5] }],
        error: null,
      },
    });
  });

  it('stays ok when only the projection status cannot be read, reporting it as unknown', async () => {
    const report = await service(async () => 9, refused).check();

    expect(report).toMatchObject({
      status: 'ok',
      database: { reachable: true, error: null },
      eventStore: { head: 9 },
      projections: {
        stalled: null,
        parked: null,
        error: "the projections' status could not be read",
      },
    });
  });

  it('is degraded when the head cannot be read, and does not claim to know the projections', async () => {
    const report = await service(refused, async () => []).check();

    expect(report).toMatchObject({
      status: 'degraded',
      database: { reachable: false, latencyMs: null, error: 'the database did not answer' },
      eventStore: { head: null },
      projections: { stalled: null, parked: null, error: 'the database did not answer' },
    });
  });

  describe('ready', () => {
    it('is ready when every projection is within the allowed lag, and says how far each is', async () => {
      const readiness = await service(
        async () => 12,
        async () => [at('commitments', 10), at('codes', 12)],
        2,
      ).ready();

      expect(readiness).toEqual({
        status: 'ready',
        reasons: [],
        head: 12,
        projections: [
          { projection: 'commitments', lag: 2 },
          { projection: 'codes', lag: 0 },
        ],
      });
    });

    it('is not ready when a projection is further behind than allowed, naming it', async () => {
      const readiness = await service(
        async () => 12,
        async () => [at('commitments', 9), at('codes', 12)],
        2,
      ).ready();

      expect(readiness).toEqual({
        status: 'not_ready',
        reasons: ['the projection commitments is 3 events behind the log (at most 2 allowed)'],
        head: 12,
        projections: [
          { projection: 'commitments', lag: 3 },
          { projection: 'codes', lag: 0 },
        ],
      });
    });

    it('is not ready when the database does not answer', async () => {
      const readiness = await service(refused, async () => [at('commitments', 0)]).ready();

      expect(readiness).toEqual({
        status: 'not_ready',
        reasons: ['the database did not answer'],
        head: null,
        projections: [],
      });
    });

    it("is not ready when the projections' checkpoints cannot be read (read models not migrated)", async () => {
      const readiness = await service(async () => 4, refused).ready();

      expect(readiness).toEqual({
        status: 'not_ready',
        reasons: ["the projections' status could not be read"],
        head: 4,
        projections: [],
      });
    });
  });
});
