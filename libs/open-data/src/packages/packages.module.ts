import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ProjectionRunner, READ_DATA_SOURCE, ReadPositions } from '#platform';
import { thresholdsFromEnv } from '#oversight';
import { LEDGER_SERVICE, type PostgresLedger } from '#transparency';
import { OpenDataPackagesController } from './open-data-packages.controller.js';
import { OpenDataPackages } from './open-data-packages.js';

/** The data package over HTTP (/open-data), read from every context's read models and the log. */
@Module({
  controllers: [OpenDataPackagesController],
  providers: [
    {
      provide: OpenDataPackages,
      inject: [READ_DATA_SOURCE, EVENT_STORE, LEDGER_SERVICE, ProjectionRunner, ReadPositions],
      useFactory: (
        dataSource: DataSource,
        store: EventStore,
        ledger: PostgresLedger,
        runner: ProjectionRunner,
        positions: ReadPositions,
      ) =>
        new OpenDataPackages({
          dataSource,
          store,
          ledger,
          projections: runner.projections,
          waitMs: positions.waitMs,
          redFlagThresholds: thresholdsFromEnv(process.env),
        }),
    },
  ],
})
export class PackagesModule {}
