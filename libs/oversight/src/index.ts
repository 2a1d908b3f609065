// The oversight context's public surface: other contexts and apps import only this.
export { oversightContext } from './oversight.context.js';
export { OversightModule } from './oversight.module.js';
export {
  AssessmentCommandHandler,
  ASSESSMENT_STREAM_PREFIX,
  assessmentStream,
  assessmentStreamId,
  type IndependentAssessmentRecorded,
} from './assessments/index.js';
export { AuditModule, type AuditModuleOptions } from './audit/audit.module.js';
export { auditLogReadModel } from './audit/read-models/audit-log/audit-log.read-model.js';
export {
  AUDIT_LOG_PROJECTION,
  AuditLogProjection,
} from './audit/read-models/audit-log/audit-log.projection.js';
export {
  AuditLogQueries,
  CHANGE_LOG_DIMENSIONS,
  type AuditFilter,
  type AuditPosition,
  type ChangeLogDimension,
  type ChangeLogFilter,
  type ChangeLogGroup,
} from './audit/read-models/audit-log/audit-log.queries.js';
export { auditSettings, type AuditSettings } from './audit/audit-settings.js';
export {
  auditReport,
  formatAuditReport,
  reportPeriod,
  REPORT_FORMATS,
  type AuditReport,
  type ReportFormat,
} from './audit/application/audit-report.js';
export { redFlagFilesReadModel } from './red-flags/read-models/red-flag-files/red-flag-files.read-model.js';
export { RedFlagFilesProjection } from './red-flags/read-models/red-flag-files/red-flag-files.projection.js';
export { thresholdsFromEnv, THRESHOLDS_VARIABLE } from './red-flags/red-flags.config.js';
export {
  evaluateFile,
  RULES,
  SUBJECT_KINDS,
  thresholdsFrom,
  type FlagFile,
  type RedFlag,
  type Thresholds,
} from './red-flags/domain/index.js';
export { RedFlagQueries } from './red-flags/read-models/red-flag-files/red-flag-files.queries.js';
export { RedFlagRulesModel } from './red-flags/graphql/models/red-flag.model.js';
