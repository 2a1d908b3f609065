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
];
