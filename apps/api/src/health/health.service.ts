import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { reachable: boolean; latencyMs: number | null; error: string | null };
  eventStore: { head: number | null };
  checkedAt: Date;
}

@Injectable()
export class HealthService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

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
        checkedAt: new Date(),
      };
    } catch {
      return {
        status: 'degraded',
        database: { reachable: false, latencyMs: null, error: 'the database did not answer' },
        eventStore: { head: null },
        checkedAt: new Date(),
      };
    }
  }
}
