import type { ReadModel } from '#platform';
import { AuditLogReadModel1797000001300 } from './migrations/1797000001300-audit-log-read-model.js';
import { AuditLogProjection } from './audit-log.projection.js';

/** The audit log's read side, for ProjectionsModule and `cuenta replay audit-log`. */
export const auditLogReadModel: ReadModel = {
  entities: [],
  migrations: [AuditLogReadModel1797000001300],
  projections: () => [new AuditLogProjection()],
};
