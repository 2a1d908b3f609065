import type { OperationAccess } from '../support/access.js';

/**
 * Who may call each operation of the API: one row per Query, Mutation and Subscription
 * field in the served schema. access-matrix.e2e.spec.ts fails when the schema serves an
 * operation that has no row here, and calls every row as every caller (no token, and a
 * token of each role), expecting `allow` to be exactly who gets through. So adding an
 * operation means: `@Allow(...)` on the resolver method, and a row here with the same
 * roles and a request that calls it (see docs/security.md).
 */
export const ACCESS_MATRIX: readonly OperationAccess[] = [
  {
    operation: 'Query.health',
    allow: ['anonymous'],
    query: '{ health { status } }',
  },
  // The transparency log is public: anyone may check it.
  { operation: 'Query.ledgerInfo', allow: ['anonymous'], query: '{ ledgerInfo { size } }' },
  {
    operation: 'Query.latestCheckpoint',
    allow: ['anonymous'],
    query: '{ latestCheckpoint { size } }',
  },
  {
    operation: 'Query.checkpoint',
    allow: ['anonymous'],
    query: '{ checkpoint(size: 1) { size } }',
  },
  {
    operation: 'Query.inclusionProof',
    allow: ['anonymous'],
    query: '{ inclusionProof(position: 0) { treeSize } }',
  },
  { operation: 'Query.tlogProof', allow: ['anonymous'], query: '{ tlogProof(position: 0) }' },
  {
    operation: 'Query.consistencyProof',
    allow: ['anonymous'],
    query: '{ consistencyProof(fromSize: 1, toSize: 1) { hashes } }',
  },
  {
    operation: 'Query.cosignatures',
    allow: ['anonymous'],
    query: '{ cosignatures(size: 1) { witness } }',
  },
  // Witnesses authenticate by their signature, which the ledger verifies.
  {
    operation: 'Mutation.submitCosignature',
    allow: ['anonymous'],
    query: 'mutation { submitCosignature(size: 1, cosignature: "— nobody AAAA") { witness } }',
  },
  {
    operation: 'Mutation.signCheckpoint',
    allow: ['oversight', 'administrator'],
    query: 'mutation { signCheckpoint { size } }',
  },
  // The witnesses the log pushes to are public; only administrators change them.
  { operation: 'Query.logWitnesses', allow: ['anonymous'], query: '{ logWitnesses { name } }' },
  {
    operation: 'Mutation.addLogWitness',
    allow: ['administrator'],
    query: 'mutation { addLogWitness(url: "ftp://x", verifierKey: "x") { name } }',
  },
  {
    operation: 'Mutation.removeLogWitness',
    allow: ['administrator'],
    query: 'mutation { removeLogWitness(name: "nobody.example") { name } }',
  },
  // Commitments are public.
  {
    operation: 'Query.commitments',
    allow: ['anonymous'],
    query: '{ commitments(first: 1) { totalCount } }',
  },
  {
    operation: 'Query.commitment',
    allow: ['anonymous'],
    query: '{ commitment(code: "CartagenaCuenta-2023") { id } }',
  },
  // Live updates of the public log: anyone (limit 0 completes once the guard let it through).
  {
    operation: 'Subscription.eventsAppended',
    allow: ['anonymous'],
    query: 'subscription { eventsAppended(limit: 0) { id } }',
  },
  {
    operation: 'Subscription.commitmentChanged',
    allow: ['anonymous'],
    query: 'subscription { commitmentChanged(id: "nope", limit: 0) { id } }',
  },
  {
    operation: 'Subscription.checkpointSigned',
    allow: ['anonymous'],
    query: 'subscription { checkpointSigned(limit: 0) { size } }',
  },
  // Commitment commands: stewards (for their agency's commitments) and administrators. The
  // requests name no existing commitment, so whoever gets past the guard gets a domain error.
  {
    operation: 'Mutation.registerCommitment',
    allow: ['steward', 'administrator'],
    query:
      'mutation { registerCommitment(input: { commitmentId: "m", code: "M-1", title: "t", actionPlanId: "p", startDate: "bad", endDate: "2023-12-31", leadAgency: { name: "planeacion" } }) { streamVersion } }',
  },
  {
    operation: 'Mutation.reviseCommitment',
    allow: ['steward', 'administrator'],
    query:
      'mutation { reviseCommitment(input: { commitmentId: "nope", changes: { title: "t" }, reason: "r" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.publishCommitment',
    allow: ['steward', 'administrator'],
    query: 'mutation { publishCommitment(input: { commitmentId: "nope" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.addMilestone',
    allow: ['steward', 'administrator'],
    query:
      'mutation { addMilestone(input: { commitmentId: "nope", milestoneId: "m1", title: "t", responsibleOffice: "o", plannedStart: "2023-01", plannedEnd: "2023-02" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.rescheduleMilestone',
    allow: ['steward', 'administrator'],
    query:
      'mutation { rescheduleMilestone(input: { commitmentId: "nope", milestoneId: "m1", plannedStart: "2023-01", plannedEnd: "2023-02", reason: "r" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.setMilestoneWeights',
    allow: ['steward', 'administrator'],
    query:
      'mutation { setMilestoneWeights(input: { commitmentId: "nope", weights: [{ milestoneId: "m1", weight: 2 }], reason: "r" }) { streamVersion } }',
  },
  { operation: 'Query.actionPlans', allow: ['anonymous'], query: '{ actionPlans { totalCount } }' },
  {
    operation: 'Query.actionPlan',
    allow: ['anonymous'],
    query: '{ actionPlan(id: "nope") { id progress { value } } }',
  },
  // Action plans span agencies: administrators only. The requests name no registered plan
  // (or a bad date), so whoever gets past the guard gets a domain error.
  {
    operation: 'Mutation.registerActionPlan',
    allow: ['administrator'],
    query:
      'mutation { registerActionPlan(input: { actionPlanId: "p", jurisdiction: "j", title: "t", periodStart: "bad", periodEnd: "2023-12-31", ogpCycle: "c" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.reviseActionPlan',
    allow: ['administrator'],
    query:
      'mutation { reviseActionPlan(input: { actionPlanId: "nope", changes: { title: "t" }, reason: "r" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.setCommitmentWeights',
    allow: ['administrator'],
    query:
      'mutation { setCommitmentWeights(input: { actionPlanId: "nope", weights: [{ commitmentId: "c", weight: 2 }], reason: "r" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.reportProgress',
    allow: ['steward', 'administrator'],
    query:
      'mutation { reportProgress(input: { commitmentId: "nope", milestoneId: "m1", percent: 10 }) { streamVersion } }',
  },
  {
    operation: 'Mutation.completeMilestone',
    allow: ['steward', 'administrator'],
    query:
      'mutation { completeMilestone(input: { commitmentId: "nope", milestoneId: "m1" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.cancelMilestone',
    allow: ['steward', 'administrator'],
    query:
      'mutation { cancelMilestone(input: { commitmentId: "nope", milestoneId: "m1", reason: "r" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.completeCommitment',
    allow: ['steward', 'administrator'],
    query: 'mutation { completeCommitment(input: { commitmentId: "nope" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.withdrawCommitment',
    allow: ['steward', 'administrator'],
    query:
      'mutation { withdrawCommitment(input: { commitmentId: "nope", reason: "r" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.recordBudget',
    allow: ['steward', 'administrator'],
    query:
      'mutation { recordBudget(input: { commitmentId: "nope", lineId: "l1", phase: APPROVED, amountCop: 1000, fundingSource: "SGP" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.correctEvent',
    allow: ['steward', 'administrator'],
    query:
      'mutation { correctEvent(input: { commitmentId: "nope", eventId: "e1", reason: "r" }) { streamVersion } }',
  },
  // Personal data: whoever holds a receipt erases with it (no account needed); erasing by
  // subjectId is for administrators, checked by the resolver. A malformed receipt gets past
  // the guard for everyone and is refused as bad input.
  {
    operation: 'Mutation.erasePersonalData',
    allow: ['anonymous'],
    query: 'mutation { erasePersonalData(input: { receipt: "nope" }) { position } }',
  },
  // Topic prioritization: anyone reads and casts a ballot (the request names no exercise, so
  // whoever gets past the guard gets a domain error); stewards and administrators open and
  // close exercises.
  {
    operation: 'Query.prioritizations',
    allow: ['anonymous'],
    query: '{ prioritizations(first: 1) { totalCount } }',
  },
  {
    operation: 'Query.prioritization',
    allow: ['anonymous'],
    query: '{ prioritization(id: "nope") { id } }',
  },
  {
    operation: 'Mutation.openPrioritization',
    allow: ['steward', 'administrator'],
    query:
      'mutation { openPrioritization(input: { prioritizationId: "p", title: "t", agencyId: "planeacion", topics: [{ id: "a", title: "A" }], opensAt: "2023-01-01T00:00:00Z", closesAt: "2023-01-02T00:00:00Z" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.castBallot',
    allow: ['anonymous'],
    query:
      'mutation { castBallot(input: { prioritizationId: "nope", ranking: ["a"] }) { streamVersion } }',
  },
  {
    operation: 'Mutation.closePrioritization',
    allow: ['steward', 'administrator'],
    query:
      'mutation { closePrioritization(input: { prioritizationId: "nope" }) { streamVersion } }',
  },
  // Dialogue spaces are public; stewards (of the commitments' lead agency) and administrators
  // record them. The requests name no existing space or commitment: a domain error follows.
  // Statistics are public: no figure in them describes fewer than five people.
  {
    operation: 'Query.statistics',
    allow: ['anonymous'],
    query: '{ statistics(groupBy: STATUS) { minimumPeople } }',
  },
  // Red flags are public; stewards (of the flag's agency) and administrators justify them.
  {
    operation: 'Query.redFlagRules',
    allow: ['anonymous'],
    query: '{ redFlagRules { thresholds } }',
  },
  {
    operation: 'Query.redFlags',
    allow: ['anonymous'],
    query: '{ redFlags(first: 1) { totalCount } }',
  },
  {
    operation: 'Mutation.justifyRedFlag',
    allow: ['steward', 'administrator'],
    query:
      'mutation { justifyRedFlag(input: { flagId: "CF-08/commitment:nope#1", reason: "r" }) { streamVersion } }',
  },
  {
    operation: 'Query.dialogueSpaces',
    allow: ['anonymous'],
    query: '{ dialogueSpaces(first: 1) { totalCount } }',
  },
  {
    operation: 'Query.dialogueSpace',
    allow: ['anonymous'],
    query: '{ dialogueSpace(id: "nope") { id } }',
  },
  {
    operation: 'Mutation.recordDialogueSpace',
    allow: ['steward', 'administrator'],
    query:
      'mutation { recordDialogueSpace(input: { dialogueSpaceId: "nope", kind: MEETING, title: "t", convenedAt: "2023-01-01T00:00:00Z", startsAt: "2023-01-02T00:00:00Z", place: "p", channel: ONLINE, agenda: ["a"], commitmentIds: ["nope"] }) { streamVersion } }',
  },
  {
    operation: 'Mutation.recordAttendance',
    allow: ['steward', 'administrator'],
    query:
      'mutation { recordAttendance(input: { dialogueSpaceId: "nope", total: 1 }) { streamVersion } }',
  },
  {
    operation: 'Mutation.agreeImprovementAction',
    allow: ['steward', 'administrator'],
    query:
      'mutation { agreeImprovementAction(input: { dialogueSpaceId: "nope", actionId: "a", commitmentId: "c", description: "d", responsibleAgency: "r", dueDate: "2024-01-01" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.reportImprovementAction',
    allow: ['steward', 'administrator'],
    query:
      'mutation { reportImprovementAction(input: { dialogueSpaceId: "nope", actionId: "a", status: IN_PROGRESS, percent: 10 }) { streamVersion } }',
  },
  // Participation: citizens' evaluations. Anyone evaluates and reports (anonymous callers
  // rate limited per client); the lead agency's stewards answer; moderators hide and restore.
  // The requests name nothing that exists, so whoever gets past the guard gets a domain error.
  {
    operation: 'Query.evaluations',
    allow: ['anonymous'],
    query: '{ evaluations(first: 1) { totalCount } }',
  },
  {
    operation: 'Query.evaluation',
    allow: ['anonymous'],
    query: '{ evaluation(id: "nope") { id } }',
  },
  {
    operation: 'Subscription.evaluationActivity',
    allow: ['anonymous'],
    query: 'subscription { evaluationActivity(commitmentId: "nope", limit: 0) { position } }',
  },
  {
    operation: 'Mutation.submitEvaluation',
    allow: ['anonymous', 'citizen'],
    query:
      'mutation { submitEvaluation(input: { evaluationId: "e1", target: { kind: COMMITMENT, commitmentId: "nope" }, ratings: { clarity: 3 }, territory: "ucg-1" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.answerEvaluation',
    allow: ['steward', 'administrator'],
    query:
      'mutation { answerEvaluation(input: { evaluationId: "nope", answer: "a" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.reportEvaluation',
    allow: ['anonymous', 'citizen', 'moderator'],
    query:
      'mutation { reportEvaluation(input: { evaluationId: "nope", reason: SPAM }) { streamVersion } }',
  },
  {
    operation: 'Mutation.hideEvaluation',
    allow: ['moderator', 'administrator'],
    query:
      'mutation { hideEvaluation(input: { evaluationId: "nope", category: SPAM, reason: "r" }) { streamVersion } }',
  },
  {
    operation: 'Mutation.restoreEvaluation',
    allow: ['moderator', 'administrator'],
    query:
      'mutation { restoreEvaluation(input: { evaluationId: "nope", reason: "r" }) { streamVersion } }',
  },
  // Independent (IRM) assessments: the oversight role only records them (the request names
  // no existing commitment: whoever gets past the guard gets COMMITMENT_NOT_FOUND); they are
  // read on Commitment.assessments, which is public like the commitment.
  {
    operation: 'Mutation.recordIndependentAssessment',
    allow: ['oversight'],
    query:
      'mutation { recordIndependentAssessment(input: { commitmentId: "nope", report: { kind: RESULTS_REPORT, id: "r1" }, scheme: { name: "OGP IRM", version: "2021" }, verifiability: VERIFIABLE, openGovernmentLens: { relevant: false }, potentialForResults: MODEST, completion: LIMITED, didItOpenGovernment: MARGINAL, justification: "j", evidence: [] }) { streamVersion } }',
  },
  // Oversight: the audit log is public (subjects shown only to the three roles below);
  // change-log summaries are for internal control, oversight bodies and administrators.
  {
    operation: 'Query.auditLog',
    allow: ['anonymous'],
    query: '{ auditLog(first: 1) { pageInfo { hasNextPage } } }',
  },
  {
    operation: 'Query.changeLogSummary',
    allow: ['oversight', 'internal_control', 'administrator'],
    query:
      '{ changeLogSummary(filter: { recorded: { from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" } }, groupBy: [MONTH]) { total } }',
  },
];
