import type { ResourceSpec } from '../resource.js';
import {
  budgetResource,
  commitmentsResource,
  evidenceResource,
  milestonesResource,
} from './commitments.resources.js';
import { actionPlansResource } from './action-plans.resource.js';
import { historyResource } from './history.resource.js';
import {
  assessmentEvidenceResource,
  assessmentsResource,
  redFlagsResource,
} from './oversight.resources.js';
import {
  dialogueAttendanceResource,
  dialogueSpacesResource,
  evaluationAnswersResource,
  evaluationsResource,
  improvementActionsResource,
  prioritizationResultsResource,
} from './participation.resources.js';

/**
 * Every table the data package publishes, in its order. Publishing another is one
 * `ResourceSpec` and one entry here: the descriptor, the CSV and JSON endpoints, `cuenta open-data` and the package tests all read this list. A resource's
 * foreign keys may only name resources listed before it.
 */
export const PACKAGE_RESOURCES: readonly ResourceSpec[] = [
  actionPlansResource,
  commitmentsResource,
  milestonesResource,
  budgetResource,
  evidenceResource,
  historyResource,
  evaluationsResource,
  evaluationAnswersResource,
  dialogueSpacesResource,
  dialogueAttendanceResource,
  improvementActionsResource,
  prioritizationResultsResource,
  assessmentsResource,
  assessmentEvidenceResource,
  redFlagsResource,
];
