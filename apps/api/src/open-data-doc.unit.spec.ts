import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { renderOpenDataFieldsDoc } from './open-data-doc.js';

describe('docs/open-data/fields.md', () => {
  it('is what the package resources describe (npm run docs:open-data regenerates it)', async () => {
    expect(await readFile('docs/open-data/fields.md', 'utf8')).toBe(
      await renderOpenDataFieldsDoc(),
    );
  });
});
