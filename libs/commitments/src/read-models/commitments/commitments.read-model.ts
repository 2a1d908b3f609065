import type { ReadModel } from '#platform';
import { BudgetLineRow } from './budget-line.entity.js';
import { CommitmentRow } from './commitment.entity.js';
import { CommitmentsProjection } from './commitments.projection.js';
import { EvidenceRow } from './evidence.entity.js';
import { CommitmentsReadModel1795000000100 } from './migrations/1795000000100-commitments-read-model.js';
import { CommitmentsCodeLookup1795000000300 } from './migrations/1795000000300-commitments-code-lookup.js';
import { CommitmentsLeadAgencyId1795000000400 } from './migrations/1795000000400-commitments-lead-agency-id.js';
import { MilestoneRow } from './milestone.entity.js';

/** The commitments context's read side, for ProjectionsModule and `cuenta replay`. */
export const commitmentsReadModel: ReadModel = {
  entities: [CommitmentRow, MilestoneRow, EvidenceRow, BudgetLineRow],
  migrations: [
    CommitmentsReadModel1795000000100,
    CommitmentsCodeLookup1795000000300,
    CommitmentsLeadAgencyId1795000000400,
  ],
  projections: ({ store }) => [new CommitmentsProjection(store)],
};
