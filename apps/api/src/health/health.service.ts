import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ProjectionRunner, type ProjectionStall, type ProjectionStatus } from '#platform';

/** A projection's parked events: positions it skips, so its read model is not the whole log. */
export interface ParkedPositions {
  projection: string;
  count: number;
  positions: number[];
}

/**
 * Read models: projections stuck on an event (they retry; the log itself is unaffected), and
 * those that skip events an operator parked. Both are null when they could not be read, with
 * `error` saying why: unknown, which is not the same as none.
 */
export type ProjectionsReport =
  | { stalled: ProjectionStall[]; parked: ParkedPositions[]; error: null }
  | { stalled: null; parked: null; error: string };

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { reachable: boolean; latencyMs: number | null; error: string | null };
  eventStore: { head: number | null };
  projections: ProjectionsReport;
  checkedAt: Date;
}

/** Whether this server should receive traffic, and if not, why (see HealthService.ready). */
export interface Readiness {
  status: 'ready' | 'not_ready';
  /** One sentence per reason it is not ready; empty when it is. */
  reasons: string[];
  /** The log's size; null when it could not be read. */
  head: number | null;
  /** How many events of the log each projection does not hold yet; empty when unknown. */
  projections: Array<{ projection: string; lag: number }>;
}

/** How far behind the log a projection may be while the server still says it is ready. */
export interface ReadinessOptions {
  /** Events of the log a projection may not hold yet (0: it must hold them all). */
  maxLag: number;
}

export const READINESS_OPTIONS = Symbol('READINESS_OPTIONS');

const NO_DATABASE = 'the database did not answer';
const NO_PROJECTION_STATUS = "the projections' status could not be read";

@Injectable()
export class HealthService {
  private readonly logger = new Logger('Health');

  constructor(
    @Inject(READINESS_OPTIONS) private readonly readiness: ReadinessOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() private readonly runner?: ProjectionRunner,
  ) {}

  /**
   * Reads the log head, which proves the database answers and the event store is migrated
   * (else "degraded"), then where the projections stand, as recorded in the database so that
   * every replica agrees. A failure of that second read leaves the status "ok": the log is
   * served; only what the read models hold is unknown, and said to be.
   */
  async check(): Promise<HealthReport> {
    const started = performance.now();
    let head: number;
    try {
      head = await this.store.head();
    } catch {
      return {
        status: 'degraded',
        database: { reachable: false, latencyMs: null, error: NO_DATABASE },
        eventStore: { head: null },
        projections: unknown(NO_DATABASE),
        checkedAt: new Date(),
      };
    }
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    return {
      status: 'ok',
      database: { reachable: true, latencyMs, error: null },
      eventStore: { head },
      projections: await this.projections(),
      checkedAt: new Date(),
    };
  }

  /**
   * Ready when the log head can be read (the database answers and the event store is
   * migrated), the projections' checkpoints can be read (the read models are migrated) and
   * none is more than `maxLag` events behind the log. Never throws.
   */
  async ready(): Promise<Readiness> {
    let head: number;
    try {
      head = await this.store.head();
    } catch {
      return { status: 'not_ready', reasons: [NO_DATABASE], head: null, projections: [] };
    }
    let statuses: ProjectionStatus[];
    try {
      statuses = (await this.runner?.status()) ?? [];
    } catch (error) {
      this.logger.warn(`${NO_PROJECTION_STATUS}: ${(error as Error).message}`);
      return { status: 'not_ready', reasons: [NO_PROJECTION_STATUS], head, projections: [] };
    }
    const { maxLag } = this.readiness;
    const projections = statuses.map((s) => ({
      projection: s.projection,
      lag: Math.max(0, head - s.checkpoint),
    }));
    const reasons = projections
      .filter((p) => p.lag > maxLag)
      .map(
        (p) =>
          `the projection ${p.projection} is ${p.lag} events behind the log (at most ${maxLag} allowed)`,
      );
    return { status: reasons.length === 0 ? 'ready' : 'not_ready', reasons, head, projections };
  }

  private async projections(): Promise<ProjectionsReport> {
    try {
      return projectionsHealth((await this.runner?.status()) ?? []);
    } catch (error) {
      this.logger.warn(`${NO_PROJECTION_STATUS}: ${(error as Error).message}`);
      return unknown(NO_PROJECTION_STATUS);
    }
  }
}

function unknown(error: string): ProjectionsReport {
  return { stalled: null, parked: null, error };
}

function projectionsHealth(statuses: ProjectionStatus[]): ProjectionsReport {
  return {
    stalled: statuses.flatMap((s) => (s.stall ? [s.stall] : [])),
    parked: statuses
      .filter((s) => s.parked.length > 0)
      .map((s) => ({
        projection: s.projection,
        count: s.parked.length,
        positions: s.parked.map((p) => p.position),
      })),
    error: null,
  };
}
