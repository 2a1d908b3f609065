import type { FieldSpec, PackageRow, ResourceSpec, SourceRow } from './resource.js';

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * An instant as Table Schema's default `datetime` format writes it: UTC, to the second
 * (`2023-03-01T14:05:00Z`). Fractions of a second are dropped: the format has none.
 */
export function tableSchemaDateTime(value: Date | string): string {
  // The log's own instants (toISOString's form) need only their fraction cut off.
  if (typeof value === 'string' && UTC_INSTANT.test(value)) return `${value.slice(0, 19)}Z`;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${String(value)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A source value as the field's JSON value; null for absent. */
export function fieldValue(field: FieldSpec, value: unknown): PackageRow[string] {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'string':
      return String(value);
    case 'integer':
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(number))
        throw new Error(`${field.name}: not a number: ${String(value)}`);
      return number;
    }
    case 'boolean':
      return Boolean(value);
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    case 'datetime':
      return tableSchemaDateTime(value as Date | string);
    case 'array':
      if (!Array.isArray(value)) throw new Error(`${field.name}: not a list`);
      return value.map(String);
  }
}

/** One source row as published: exactly the resource's fields, in order. */
export function packageRow(resource: ResourceSpec, row: SourceRow): PackageRow {
  const shaped: PackageRow = {};
  for (const field of resource.fields) shaped[field.name] = fieldValue(field, row[field.name]);
  return shaped;
}

/**
 * One CSV cell (RFC 4180): empty for null; lists as their JSON text (Table Schema's `array`);
 * quoted when it holds a quote, a comma or a line break.
 */
export function csvCell(value: PackageRow[string]): string {
  if (value === null) return '';
  const text = Array.isArray(value) ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record with its CRLF terminator (the CSV dialect's default). */
export function csvLine(cells: readonly PackageRow[string][]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
