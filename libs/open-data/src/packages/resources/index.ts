import type { ResourceSpec } from '../resource.js';
import {
  budgetResource,
  commitmentsResource,
  evidenceResource,
  milestonesResource,
} from './commitments.resources.js';
import { historyResource } from './history.resource.js';
import {
  dialogueAttendanceResource,
  dialogueSpacesResource,
  evaluationAnswersResource,
  evaluationsResource,
  improvementActionsResource,
  prioritizationResultsResource,
} from './participation.resources.js';

/**
 * Every table the data package publishes, in its order. Publishing another (action plans,
 * assessments, red flags) is one `ResourceSpec` and one entry here: the descriptor, the CSV and
 * JSON endpoints, `cuenta open-data` and the package tests all read this list. A resource's
 * foreign keys may only name resources listed before it.
 */
export const PACKAGE_RESOURCES: readonly ResourceSpec[] = [
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
];
