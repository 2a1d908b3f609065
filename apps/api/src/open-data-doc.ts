import { readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import { fieldsMarkdown, PACKAGE_RESOURCES } from '#open-data';

const FIELDS_FILE = 'docs/open-data/fields.md';

/** docs/open-data/fields.md as the package's resources make it, formatted as the repository formats Markdown. */
export async function renderOpenDataFieldsDoc(): Promise<string> {
  const options = (await resolveConfig(FIELDS_FILE)) ?? {};
  return format(fieldsMarkdown(PACKAGE_RESOURCES), { ...options, parser: 'markdown' });
}

/**
 * `npm run docs:open-data` regenerates docs/open-data/fields.md from the package's resources;
 * `--check` only compares, and exits 1 when the committed file is stale.
 */
async function main(): Promise<void> {
  const rendered = await renderOpenDataFieldsDoc();
  if (process.argv.includes('--check')) {
    const committed = await readFile(FIELDS_FILE, 'utf8').catch(() => '');
    if (committed === rendered) return;
    console.error(`${FIELDS_FILE} is stale: run npm run docs:open-data`);
    process.exit(1);
  }
  await writeFile(FIELDS_FILE, rendered);
  console.log(`wrote ${FIELDS_FILE}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`docs:open-data: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
