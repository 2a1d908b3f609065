import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ProjectionRunner, type ProjectionStall, type ProjectionStatus } from '#platform';

/** A projection's parked events: positions it skips, so its read model is not the whole log. */
export interface ParkedPositions {
  projection: string;
  count: number;
  positions: number[];
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { reachable: boolean; latencyMs: number | null; error: string | null };
  eventStore: { head: number | null };
  /**
   * Read models: projections stuck on an event (they retry; the log itself is unaffected),
   * and those that skip events an operator parked.
   */
  projections: { stalled: ProjectionStall[]; parked: ParkedPositions[] };
  checkedAt: Date;
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() private readonly runner?: ProjectionRunner,
  ) {}

  /**
   * Reads the log head, which proves the database answers and the event store is migrated,
   * then where the projections stand (recorded in the database, so every replica agrees).
   */
  async check(): Promise<HealthReport> {
    const started = performance.now();
    try {
      const head = await this.store.head();
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const statuses = (await this.runner?.status()) ?? [];
      return {
        status: 'ok',
        database: { reachable: true, latencyMs, error: null },
        eventStore: { head },
        projections: projectionsHealth(statuses),
        checkedAt: new Date(),
      };
    } catch {
      return {
        status: 'degraded',
        database: { reachable: false, latencyMs: null, error: 'the database did not answer' },
        eventStore: { head: null },
        projections: { stalled: this.runner?.stalled ?? [], parked: [] },
        checkedAt: new Date(),
      };
    }
  }
}

function projectionsHealth(statuses: ProjectionStatus[]): HealthReport['projections'] {
  return {
    stalled: statuses.flatMap((s) => (s.stall ? [s.stall] : [])),
    parked: statuses
      .filter((s) => s.parked.length > 0)
      .map((s) => ({
        projection: s.projection,
        count: s.parked.length,
        positions: s.parked.map((p) => p.position),
      })),
  };
}
