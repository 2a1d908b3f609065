import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';

// Checks a Cuenta open-data package with tools that are not Cuenta's: Frictionless' own
// JavaScript implementation of Data Package and Table Schema (the `datapackage` package, with
// `tableschema`), and csv-parse for the CSV. Tests only.

interface FrictionlessResource {
  name: string;
  read(options: { keyed: true; relations: boolean }): Promise<Record<string, unknown>[]>;
}
interface FrictionlessPackage {
  valid: boolean;
  errors: Error[];
  resources: FrictionlessResource[];
}
const require = createRequire(import.meta.url);
const { Package } = require('datapackage') as {
  Package: { load(descriptor: string): Promise<FrictionlessPackage> };
};

export interface ValidatedPackage {
  /** Descriptor errors (the Data Package profile); empty when valid. */
  errors: string[];
  /** Rows per resource, as the Table Schema implementation cast them. */
  rows: Record<string, Record<string, unknown>[]>;
  /** Resources whose rows failed the schema (types, constraints, keys), with the reason. */
  failures: Record<string, string>;
}

/**
 * Loads `<dir>/datapackage.json` with the Frictionless implementation and reads every
 * resource, casting each value to its field's type, checking constraints, primary keys and
 * foreign keys (`relations`).
 */
export async function validatePackage(dir: string): Promise<ValidatedPackage> {
  const loaded = await Package.load(path.resolve(dir, 'datapackage.json'));
  const result: ValidatedPackage = {
    errors: loaded.errors.map(String),
    rows: {},
    failures: {},
  };
  for (const resource of loaded.resources) {
    try {
      result.rows[resource.name] = await resource.read({ keyed: true, relations: true });
    } catch (error) {
      const inner = (error as { errors?: unknown[] }).errors ?? [];
      result.failures[resource.name] = [String(error), ...inner.slice(0, 3).map(String)].join('; ');
    }
  }
  return result;
}

interface DescriptorField {
  name: string;
  type: string;
}

/**
 * A CSV read back with csv-parse, each cell typed as its Table Schema field says (empty ->
 * null, integers and numbers, booleans, arrays from their JSON text): what the JSON endpoint
 * should answer, value for value.
 */
export function csvAsValues(csv: string, fields: readonly DescriptorField[]) {
  const records = parse(csv, { bom: false }) as string[][];
  const [header, ...rows] = records;
  return {
    header,
    rows: rows.map((cells) =>
      Object.fromEntries(
        fields.map((field, i) => [field.name, typed(field.type, cells[i])] as const),
      ),
    ),
  };
}

function typed(type: string, cell: string): unknown {
  if (cell === '') return null;
  switch (type) {
    case 'integer':
    case 'number':
      return Number(cell);
    case 'boolean':
      if (cell !== 'true' && cell !== 'false') throw new Error(`not a boolean: ${cell}`);
      return cell === 'true';
    case 'array':
      return JSON.parse(cell) as unknown;
    default:
      return cell;
  }
}

/** Downloads the package served at `${url}/open-data` into `dir`, as a portal harvester would. */
export async function downloadPackage(url: string, dir: string) {
  const response = await fetch(`${url}/open-data/datapackage.json`);
  if (!response.ok)
    throw new Error(`datapackage.json: ${response.status} ${await response.text()}`);
  const text = await response.text();
  const descriptor = JSON.parse(text) as PackageDescriptor;
  await writeFile(path.join(dir, 'datapackage.json'), text);
  for (const resource of descriptor.resources) {
    const csv = await fetch(`${url}/open-data/${resource.path}`);
    if (!csv.ok) throw new Error(`${resource.path}: ${csv.status} ${await csv.text()}`);
    await writeFile(path.join(dir, resource.path), Buffer.from(await csv.arrayBuffer()));
  }
  return descriptor;
}

export interface PackageDescriptor {
  profile: string;
  cuenta: {
    origin: string;
    verifierKey: string;
    logSize: number;
    asOf: string | null;
    checkpoint: { size: number; rootHash: string; note: string } | null;
  };
  resources: {
    name: string;
    path: string;
    schema: {
      fields: (DescriptorField & {
        description: string;
        descriptions: { es: string; en: string };
      })[];
      primaryKey: string[];
      foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[];
    };
  }[];
}
