import { Module, type DynamicModule } from '@nestjs/common';
import type { ContextModuleOptions } from '#platform';
import { AssessmentsModule } from './assessments/assessments.module.js';
import { AuditModule } from './audit/audit.module.js';
import { RedFlagsModule } from './red-flags/red-flags.module.js';

/**
 * The oversight context: the audit log across every context, change-log summaries, red flags
 * anyone can recompute from an export, and independent (IRM) assessments. Each part is a
 * module of its own; this one gathers them. Needs EventStoreModule and ProjectionsModule (with
 * the context's read models).
 */
@Module({})
export class OversightModule {
  static forRoot(options?: ContextModuleOptions): DynamicModule {
    return {
      module: OversightModule,
      imports: [
        // The audit log reads every context's event descriptions.
        AuditModule.forRoot({ contexts: options?.contexts ?? [] }),
        AssessmentsModule.forRoot(),
        RedFlagsModule.forRoot(),
      ],
    };
  }
}
