import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { PackageRow } from './resource.js';
import { csvCell, csvLine, fieldValue, tableSchemaDateTime } from './values.js';

describe('tableSchemaDateTime', () => {
  it("writes Table Schema's default datetime: UTC, to the second", () => {
    expect(tableSchemaDateTime('2023-12-07T14:00:00.000Z')).toBe('2023-12-07T14:00:00Z');
    expect(tableSchemaDateTime(new Date('2023-12-07T09:00:00.999-05:00'))).toBe(
      '2023-12-07T14:00:00Z',
    );
  });

  it('refuses what is not an instant', () => {
    expect(() => tableSchemaDateTime('yesterday')).toThrow('not an instant: yesterday');
  });
});

describe('fieldValue', () => {
  const field = (type: Parameters<typeof fieldValue>[0]['type']) => ({
    name: 'f',
    type,
    description: { es: '', en: '' },
  });

  it('types values by field: bigint text as numbers, lists as strings, absent as null', () => {
    expect(fieldValue(field('integer'), '9007199254740991')).toBe(9007199254740991);
    expect(fieldValue(field('array'), ['a', 1])).toEqual(['a', '1']);
    expect(fieldValue(field('string'), undefined)).toBeNull();
    expect(fieldValue(field('date'), '2024-02-29')).toBe('2024-02-29');
    expect(fieldValue(field('boolean'), false)).toBe(false);
  });

  it('refuses a number that is not one', () => {
    expect(() => fieldValue(field('integer'), 'many')).toThrow('f: not a number: many');
  });
});

describe('CSV cells', () => {
  it('quotes only what needs quoting, and a CSV parser reads back the exact text', () => {
    const values: PackageRow[string][] = [
      'plain',
      'Secretaría de Participación, Cartagena',
      'She said "yes"',
      'line one\nline two',
      ['Bocachica', 'Caño del Oro'],
      null,
      42,
      true,
    ];
    const line = csvLine(values);
    expect(csvCell('plain')).toBe('plain');
    expect(line.endsWith('\r\n')).toBe(true);
    const [parsed] = parse(line) as string[][];
    expect(parsed).toEqual([
      'plain',
      'Secretaría de Participación, Cartagena',
      'She said "yes"',
      'line one\nline two',
      '["Bocachica","Caño del Oro"]',
      '',
      '42',
      'true',
    ]);
  });
});
