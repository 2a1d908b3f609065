import type { Bilingual, FieldSpec, ResourceSpec } from './resource.js';

/** A checkpoint as the package names it. */
export interface PackageCheckpoint {
  size: number;
  /** RFC 9162 root hash, base64 as in the checkpoint note. */
  rootHash: string;
  /** The C2SP signed note, as the log signed it. */
  note: string;
}

/** Where a package was cut: the log prefix its rows reflect and the checkpoint that signs it. */
export interface PackageCut {
  /** The log's origin (the checkpoint's first line). */
  origin: string;
  /** The log's verifier key, to check the checkpoint's signature. */
  verifierKey: string;
  /** Rows reflect exactly the events at positions 0 to logSize - 1. */
  logSize: number;
  /** When the cut's last event was recorded; null for an empty log. */
  asOf: string | null;
  /**
   * The smallest signed checkpoint covering the cut: of size `logSize` unless the log grew
   * between the cut and the signature; null for an empty log.
   */
  checkpoint: PackageCheckpoint | null;
}

/** Both languages in one Table Schema `description` (Spanish first), as portals show one text. */
function bilingual(text: Bilingual): string {
  return `${text.es}\n\nEN: ${text.en}`;
}

function fieldDescriptor(field: FieldSpec) {
  const constraints = {
    ...(field.required ? { required: true } : {}),
    ...(field.unique ? { unique: true } : {}),
    ...(field.enum ? { enum: [...field.enum] } : {}),
    ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
    ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
    ...(field.pattern ? { pattern: field.pattern } : {}),
  };
  return {
    name: field.name,
    type: field.type,
    format: 'default',
    description: bilingual(field.description),
    descriptions: field.description,
    ...(Object.keys(constraints).length > 0 ? { constraints } : {}),
  };
}

/** A resource's entry in datapackage.json, its data at `<name>.csv` beside it. */
export function resourceDescriptor(resource: ResourceSpec) {
  return {
    name: resource.name,
    path: `${resource.name}.csv`,
    profile: 'tabular-data-resource',
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    title: `${resource.title.es} / ${resource.title.en}`,
    description: bilingual(resource.description),
    descriptions: resource.description,
    dialect: {
      delimiter: ',',
      lineTerminator: '\r\n',
      quoteChar: '"',
      doubleQuote: true,
      header: true,
    },
    schema: {
      fields: resource.fields.map(fieldDescriptor),
      primaryKey: [...resource.primaryKey],
      ...(resource.foreignKeys && resource.foreignKeys.length > 0
        ? {
            foreignKeys: resource.foreignKeys.map((key) => ({
              fields: [...key.fields],
              reference: { resource: key.resource, fields: [...key.reference] },
            })),
          }
        : {}),
      missingValues: [''],
    },
  };
}

/**
 * The Frictionless Data Package descriptor (specs.frictionlessdata.io/data-package, profile
 * `tabular-data-package`). `cuenta` says where the package was cut; Data Package allows such
 * extra properties and tools that do not know them pass them by.
 */
export function packageDescriptor(cut: PackageCut, resources: readonly ResourceSpec[]) {
  return {
    profile: 'tabular-data-package',
    name: 'cuenta-open-data',
    title: 'Cuenta: compromisos públicos y su seguimiento / public commitments and their follow-up',
    description: bilingual({
      es:
        `Datos abiertos de ${cut.origin}, cortados en el tamaño de registro ${cut.logSize}: ` +
        'cada fila refleja exactamente los eventos en las posiciones 0 a logSize - 1, y el punto ' +
        'de control firmado en cuenta.checkpoint los cubre. Ver docs/open-data.md.',
      en:
        `Open data of ${cut.origin}, cut at log size ${cut.logSize}: every row reflects exactly ` +
        'the events at positions 0 to logSize - 1, and the signed checkpoint in cuenta.checkpoint ' +
        'covers them. See docs/open-data.md.',
    }),
    ...(cut.asOf ? { created: cut.asOf } : {}),
    cuenta: {
      origin: cut.origin,
      verifierKey: cut.verifierKey,
      logSize: cut.logSize,
      asOf: cut.asOf,
      checkpoint: cut.checkpoint,
    },
    resources: resources.map(resourceDescriptor),
  };
}
