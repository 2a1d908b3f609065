import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ProjectionRunner, type ProjectionStall } from '#platform';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { reachable: boolean; latencyMs: number | null; error: string | null };
  eventStore: { head: number | null };
  /** Read models: projections stuck on an event (they retry; the log itself is unaffected). */
  projections: { stalled: ProjectionStall[] };
  checkedAt: Date;
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() private readonly runner?: ProjectionRunner,
  ) {}

  /** Reads the log head, which proves the database answers and the event store is migrated. */
  async check(): Promise<HealthReport> {
    const started = performance.now();
    try {
      const head = await this.store.head();
      return {
        status: 'ok',
        database: {
          reachable: true,
          latencyMs: Math.round((performance.now() - started) * 100) / 100,
          error: null,
        },
        eventStore: { head },
        projections: { stalled: this.runner?.stalled ?? [] },
        checkedAt: new Date(),
      };
    } catch {
      return {
        status: 'degraded',
        database: { reachable: false, latencyMs: null, error: 'the database did not answer' },
        eventStore: { head: null },
        projections: { stalled: this.runner?.stalled ?? [] },
        checkedAt: new Date(),
      };
    }
  }
}
