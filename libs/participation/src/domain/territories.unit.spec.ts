import { describe, expect, it } from '@jest/globals';
import { isTerritoryId, territoryById, TERRITORIES } from './territories.js';

describe("the jurisdiction's territories", () => {
  it('lists three localidades, fifteen UCGs and the corregimientos, each id once', () => {
    const kinds = TERRITORIES.map((territory) => territory.kind);
    expect(kinds.filter((kind) => kind === 'localidad')).toHaveLength(3);
    expect(kinds.filter((kind) => kind === 'ucg')).toHaveLength(15);
    expect(kinds.filter((kind) => kind === 'corregimiento')).toHaveLength(15);
    expect(new Set(TERRITORIES.map((territory) => territory.id)).size).toBe(TERRITORIES.length);
  });

  it('places every UCG in a localidad of the list', () => {
    for (const ucg of TERRITORIES.filter((territory) => territory.kind === 'ucg')) {
      expect(ucg.localidad && territoryById(ucg.localidad)?.kind).toBe('localidad');
    }
  });

  it('finds corregimientos by a slug without accents', () => {
    expect(territoryById('bocachica')?.name).toBe('Bocachica');
    expect(territoryById('cano-del-oro')?.name).toBe('Caño del Oro');
    expect(isTerritoryId('localidad-4')).toBe(false);
  });
});
