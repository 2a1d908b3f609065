/**
 * The jurisdiction's territories an evaluation, a dialogue space or an attendance count may
 * name: Cartagena de Indias' three localidades (Acuerdo 029 de 2001), its fifteen urban
 * Unidades Comuneras de Gobierno (UCG) with the localidad each belongs to, and its
 * corregimientos. Ids are stable, lower-case slugs; names are as the city writes them.
 */
export type TerritoryKind = 'localidad' | 'ucg' | 'corregimiento';

export interface Territory {
  readonly id: string;
  readonly kind: TerritoryKind;
  readonly name: string;
  /** The localidad a UCG belongs to. */
  readonly localidad?: string;
}

const LOCALIDADES: readonly Territory[] = [
  { id: 'localidad-1', kind: 'localidad', name: 'Localidad Histórica y del Caribe Norte' },
  { id: 'localidad-2', kind: 'localidad', name: 'Localidad de la Virgen y Turística' },
  { id: 'localidad-3', kind: 'localidad', name: 'Localidad Industrial y de la Bahía' },
];

/** Which localidad holds each urban UCG. */
const UCG_LOCALIDAD: Readonly<Record<number, string>> = {
  1: 'localidad-1',
  2: 'localidad-1',
  3: 'localidad-1',
  8: 'localidad-1',
  9: 'localidad-1',
  10: 'localidad-1',
  4: 'localidad-2',
  5: 'localidad-2',
  6: 'localidad-2',
  7: 'localidad-2',
  11: 'localidad-3',
  12: 'localidad-3',
  13: 'localidad-3',
  14: 'localidad-3',
  15: 'localidad-3',
};

const UCGS: readonly Territory[] = Array.from({ length: 15 }, (_, index) => {
  const number = index + 1;
  return {
    id: `ucg-${number}`,
    kind: 'ucg' as const,
    name: `Unidad Comunera de Gobierno ${number}`,
    localidad: UCG_LOCALIDAD[number],
  };
});

const CORREGIMIENTOS: readonly Territory[] = [
  'Arroyo de las Canoas',
  'Arroyo de Piedra',
  'Arroyo Grande',
  'Bayunca',
  'Barú',
  'Bocachica',
  'Caño del Oro',
  'Isla Fuerte',
  'Islas del Rosario',
  'La Boquilla',
  'Pasacaballos',
  'Pontezuela',
  'Punta Canoa',
  'Santa Ana',
  'Tierra Bomba',
].map((name) => ({ id: slug(name), kind: 'corregimiento' as const, name }));

export const TERRITORIES: readonly Territory[] = [...LOCALIDADES, ...UCGS, ...CORREGIMIENTOS];

const BY_ID = new Map(TERRITORIES.map((territory) => [territory.id, territory]));

/** The territory with this id, or undefined when the jurisdiction has none such. */
export function territoryById(id: string): Territory | undefined {
  return BY_ID.get(id);
}

export function isTerritoryId(id: string): boolean {
  return BY_ID.has(id);
}

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
