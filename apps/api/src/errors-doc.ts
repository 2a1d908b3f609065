import { readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import { errorCodesMarkdown } from './graphql/error-codes.js';

const ERRORS_FILE = 'docs/errors.md';

/** docs/errors.md as the registry makes it, formatted as the repository formats Markdown. */
export async function renderErrorsDoc(): Promise<string> {
  const options = (await resolveConfig(ERRORS_FILE)) ?? {};
  return format(errorCodesMarkdown(), { ...options, parser: 'markdown' });
}

/**
 * `npm run docs:errors` regenerates docs/errors.md from the error-code registry; `--check`
 * only compares, and exits 1 when the committed file is stale.
 */
async function main(): Promise<void> {
  const rendered = await renderErrorsDoc();
  if (process.argv.includes('--check')) {
    const committed = await readFile(ERRORS_FILE, 'utf8').catch(() => '');
    if (committed === rendered) return;
    console.error(`${ERRORS_FILE} is stale: run npm run docs:errors`);
    process.exit(1);
  }
  await writeFile(ERRORS_FILE, rendered);
  console.log(`wrote ${ERRORS_FILE}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`docs:errors: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
