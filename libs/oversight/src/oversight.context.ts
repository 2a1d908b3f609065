import type { ContextDefinition } from '#platform';
import { auditLogReadModel } from './audit/read-models/audit-log/audit-log.read-model.js';
import { OVERSIGHT_EVENT_DESCRIPTIONS } from './oversight-event-descriptions.js';
import { OversightModule } from './oversight.module.js';
import { ASSESSMENT_UPCASTERS } from './assessments/application/assessment-stream.js';
import { assessmentsReadModel } from './assessments/read-models/assessments/assessments.read-model.js';
import { RED_FLAG_PUBLIC_READ_QUERIES } from './red-flags/graphql/red-flags.resolver.js';
import { redFlagFilesReadModel } from './red-flags/read-models/red-flag-files/red-flag-files.read-model.js';

/** The oversight context, as the apps, the test harness and the benchmarks plug it in. */
export const oversightContext: ContextDefinition = {
  name: 'oversight',
  module: (options) => OversightModule.forRoot(options),
  readModels: [auditLogReadModel, assessmentsReadModel, redFlagFilesReadModel],
  upcasters: [...ASSESSMENT_UPCASTERS],
  publicReadQueries: [...RED_FLAG_PUBLIC_READ_QUERIES],
  // A line for each of its events, in the audit log.
  eventDescriptions: OVERSIGHT_EVENT_DESCRIPTIONS,
};
