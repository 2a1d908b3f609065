import { probe } from '#ledger';
export const probe2 = (): number => probe(1);
