import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  EVENT_STORE,
  PostgresEventStore,
  type EventStore,
  type ObservedAppend,
} from '#event-store';
import { ProjectionRunner, READ_DATA_SOURCE, READ_REPLICAS, type ReadReplicas } from '#platform';
import { LEDGER_SERVICE, PostgresLedger } from '#transparency';
import { graphqlMetricsPlugin } from './graphql-metrics.plugin.js';

/**
 * The Prometheus metrics of one server: Node's defaults, GraphQL operations as they are
 * answered, and the log and projections read from the database at each scrape (so every
 * replica reports the same log, and a scrape costs three small queries).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private readonly databaseUp = this.gauge(
    'cuenta_database_up',
    'Whether the last scrape could read the log (1) or not (0).',
  );
  private readonly logSize = this.gauge('cuenta_log_size', 'Events in the log.');
  private readonly checkpointAge = this.gauge(
    'cuenta_checkpoint_age_seconds',
    'Seconds since the newest checkpoint was signed; absent before the first.',
  );
  private readonly unsigned = this.gauge(
    'cuenta_unsigned_events',
    'Events in the log that no signed checkpoint covers yet.',
  );
  private readonly lag = this.gauge(
    'cuenta_projection_lag_events',
    'Events of the log a projection does not hold yet.',
    ['projection'],
  );
  private readonly lagSeconds = this.gauge(
    'cuenta_projection_lag_seconds',
    'Seconds since the store wrote the oldest event a projection does not hold yet; 0 when it holds them all.',
    ['projection'],
  );
  private readonly stalled = this.gauge(
    'cuenta_projection_stalled',
    'Whether a projection is stuck on an event (1) or not (0).',
    ['projection'],
  );
  private readonly parked = this.gauge(
    'cuenta_projection_parked_events',
    'Events an operator parked, which a projection skips.',
    ['projection'],
  );
  private readonly subscriptions = this.gauge(
    'cuenta_log_subscriptions',
    "Subscriptions to the log open on this server: live GraphQL feeds and the projection runner's.",
  );
  private readonly connections = this.gauge(
    'cuenta_db_pool_connections',
    'Connections of a database pool: open (total), idle, and requests waiting for one.',
    ['pool', 'state'],
  );
  private readonly replicaUp = this.gauge(
    'cuenta_read_replica_up',
    'Whether reads go to a read replica now (1), or it is down or not open yet and the primary serves them (0), by its place in DATABASE_READ_URL.',
    ['replica'],
  );
  private readonly appends = new Counter({
    name: 'cuenta_appends_total',
    help: 'Appends that reached the database, by outcome: appended, conflict (the stream had moved on) or failed.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly appendEvents = new Histogram({
    name: 'cuenta_append_events',
    help: 'Events per written append.',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });
  private readonly appendSeconds = new Histogram({
    name: 'cuenta_append_seconds',
    help: 'Time an append took, from the call to its commit or refusal, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly graphqlPlugin = graphqlMetricsPlugin({
    operations: new Counter({
      name: 'cuenta_graphql_operations_total',
      help: 'GraphQL operations answered, by first root field and outcome (OK or error code).',
      labelNames: ['operation', 'outcome'],
      registers: [this.registry],
    }),
    seconds: new Histogram({
      name: 'cuenta_graphql_operation_seconds',
      help: 'Time from receiving a GraphQL operation to sending its answer, by first root field.',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    }),
  });

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_SERVICE) private readonly ledger: PostgresLedger,
    @Inject(READ_DATA_SOURCE) private readonly readModels: DataSource,
    @Optional() private readonly runner?: ProjectionRunner,
    @Optional() @Inject(READ_REPLICAS) private readonly replicas?: ReadReplicas,
  ) {
    collectDefaultMetrics({ register: this.registry });
    if (store instanceof PostgresEventStore)
      store.observeAppends((append) => this.appended(append));
  }

  private appended({ outcome, events, seconds }: ObservedAppend): void {
    this.appends.inc({ outcome });
    this.appendSeconds.observe({ outcome }, seconds);
    if (outcome === 'appended') this.appendEvents.observe(events);
  }

  /** The text a scrape gets, with the log and projections read now. Never throws. */
  async scrape(): Promise<string> {
    this.readPools();
    await this.readLog();
    return this.registry.metrics();
  }

  private async readLog(): Promise<void> {
    for (const gauge of [
      this.logSize,
      this.checkpointAge,
      this.unsigned,
      this.lag,
      this.lagSeconds,
      this.stalled,
      this.parked,
    ]) {
      gauge.reset();
    }
    try {
      const [head, newest, statuses] = await Promise.all([
        this.store.head(),
        this.ledger.latestCheckpoint(),
        this.runner?.status() ?? [],
      ]);
      this.databaseUp.set(1);
      this.logSize.set(head);
      this.unsigned.set(head - (newest?.size ?? 0));
      if (newest) this.checkpointAge.set((Date.now() - newest.signedAt.getTime()) / 1000);
      for (const s of statuses) {
        this.lag.set({ projection: s.projection }, Math.max(0, head - s.checkpoint));
        this.lagSeconds.set(
          { projection: s.projection },
          await this.secondsBehind(s.checkpoint, head),
        );
        this.stalled.set({ projection: s.projection }, s.stall ? 1 : 0);
        this.parked.set({ projection: s.projection }, s.parked.length);
      }
    } catch (error) {
      this.databaseUp.set(0);
      this.logger.warn(`the log could not be read for metrics: ${(error as Error).message}`);
    }
  }

  /** How long ago the store wrote the event at `checkpoint`, the oldest one not applied. */
  private async secondsBehind(checkpoint: number, head: number): Promise<number> {
    if (checkpoint >= head) return 0;
    const [next] = await this.store.readAll({ from: checkpoint, limit: 1, raw: true });
    if (!next) return 0;
    return Math.max(0, (Date.now() - Date.parse(next.metadata.recordedAt)) / 1000);
  }

  /** What this process holds: its pools and its open subscriptions. */
  private readPools(): void {
    this.connections.reset();
    const pools: Array<[string, pg.Pool | undefined]> = [
      ['event_store', this.store instanceof PostgresEventStore ? this.store.pool : undefined],
      // TypeORM's PostgreSQL driver keeps its pg pool as `master`.
      ['read_models', (this.readModels.driver as unknown as { master?: pg.Pool }).master],
      // Each read replica's, by its place in DATABASE_READ_URL (a bounded label).
      ...(this.replicas?.replicas ?? []).flatMap(
        (replica, index): Array<[string, pg.Pool | undefined]> => {
          const { log, readModels } = replica.pools();
          return [
            [`replica_${index}_event_store`, log],
            [`replica_${index}_read_models`, readModels],
          ];
        },
      ),
    ];
    this.replicaUp.reset();
    (this.replicas?.replicas ?? []).forEach((replica, index) =>
      this.replicaUp.set({ replica: String(index) }, replica.up(Date.now()) ? 1 : 0),
    );
    for (const [pool, connections] of pools) {
      if (!connections) continue;
      this.connections.set({ pool, state: 'total' }, connections.totalCount);
      this.connections.set({ pool, state: 'idle' }, connections.idleCount);
      this.connections.set({ pool, state: 'waiting' }, connections.waitingCount);
    }
    if (this.store instanceof PostgresEventStore) {
      this.subscriptions.set(this.store.openSubscriptions);
    }
  }

  private gauge(name: string, help: string, labelNames: string[] = []) {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
