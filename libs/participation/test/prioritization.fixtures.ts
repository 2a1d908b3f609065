import { deciderSpec } from '../../../test/support/decider-spec.js';
import {
  BORDA_RULE,
  prioritizationDecider,
  type BallotCast,
  type OpenPrioritization,
  type PrioritizationOpened,
} from '../src/prioritization/domain/index.js';

// Test data for the prioritization part: an exercise over four topics, open in March 2023
// (the generic spec's TEST_NOW, 2023-03-01T15:00Z, falls inside it).

export { TEST_NOW } from '../../../test/support/decider-spec.js';

export const { given } = deciderSpec(prioritizationDecider);

export const EXERCISE_ID = 'temas-2023';
export const OPENS_AT = '2023-02-20T14:00:00.000Z';
export const CLOSES_AT = '2023-03-10T22:00:00.000Z';
export const TOPICS = [
  { id: 'presupuesto', title: 'Presupuesto participativo' },
  { id: 'deuda', title: 'Deuda pública' },
  { id: 'contratacion', title: 'Contratación' },
  { id: 'plan', title: 'Plan de desarrollo' },
];

export function openCommand(data: Partial<OpenPrioritization['data']> = {}): OpenPrioritization {
  return {
    type: 'OpenPrioritization',
    data: {
      prioritizationId: EXERCISE_ID,
      title: 'Temas de la rendición de cuentas',
      agencyId: 'alcaldia-cartagena',
      topics: TOPICS,
      opensAt: OPENS_AT,
      closesAt: CLOSES_AT,
      method: 'borda',
      ...data,
    },
  };
}

export function opened(): PrioritizationOpened {
  return {
    type: 'PrioritizationOpened',
    data: {
      prioritizationId: EXERCISE_ID,
      title: 'Temas de la rendición de cuentas',
      agencyId: 'alcaldia-cartagena',
      topics: TOPICS,
      opensAt: OPENS_AT,
      closesAt: CLOSES_AT,
      method: 'borda',
      methodRule: BORDA_RULE,
    },
  };
}

export function ballot(participant: string, ranking: string[], replaces?: string): BallotCast {
  return {
    type: 'BallotCast',
    data: {
      prioritizationId: EXERCISE_ID,
      participant,
      ranking,
      ...(replaces !== undefined && { replaces }),
    },
  };
}
