import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  contextUpcasters,
  EventDescriptions,
  READ_DATA_SOURCE,
  type ContextDefinition,
} from '#platform';
import { auditSettings, type AuditSettings } from './audit-settings.js';
import { AuditLogResolver } from './graphql/audit-log.resolver.js';
import { AuditLogQueries } from './read-models/audit-log/audit-log.queries.js';

export interface AuditModuleOptions {
  /** Every context served: their event descriptions and upcasters. */
  contexts: readonly ContextDefinition[];
  settings?: AuditSettings;
}

/**
 * The audit log and change-log summaries. Needs EventStoreModule, ProjectionsModule (with
 * `auditLogReadModel`) and LedgerModule (for inclusion proofs).
 */
@Module({})
export class AuditModule {
  static forRoot(options: AuditModuleOptions): DynamicModule {
    const settings = options.settings ?? auditSettings(process.env);
    return {
      module: AuditModule,
      providers: [
        { provide: EventDescriptions, useValue: new EventDescriptions(options.contexts) },
        {
          provide: AuditLogQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) =>
            new AuditLogQueries(
              dataSource,
              contextUpcasters(options.contexts),
              settings.retroactiveDays,
            ),
        },
        AuditLogResolver,
      ],
      exports: [AuditLogQueries],
    };
  }
}
