import { readFile, writeFile } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { loadConfig, openDatabase } from '#platform';
import { createApp } from './bootstrap.js';

/** The schema as the server serves it, in the form committed at docs/schema.graphql. */
export function printServedSchema(host: GraphQLSchemaHost): string {
  return printSchema(lexicographicSortSchema(host.schema)) + '\n';
}

const SCHEMA_FILE = 'docs/schema.graphql';

/**
 * `npm run schema` regenerates docs/schema.graphql so API changes show up in review;
 * `--check` only compares, and exits 1 when the committed file is stale.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  // Its output is only the verdict: start-up messages (a first key generated, ...) stay quiet.
  Logger.overrideLogger(['fatal', 'error']);
  const config = { ...loadConfig(), logLevel: 'error' as const };
  const database = await openDatabase(config);
  const app = await createApp(config, database.url);
  try {
    await app.init();
    const served = printServedSchema(app.get(GraphQLSchemaHost));
    if (check) {
      const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
      if (committed !== served) {
        console.error(`${SCHEMA_FILE} is not the schema the server serves: run npm run schema`);
        process.exitCode = 1;
      } else {
        console.log(`${SCHEMA_FILE} is up to date`);
      }
    } else {
      await writeFile(SCHEMA_FILE, served);
      console.log(`wrote ${SCHEMA_FILE}`);
    }
  } finally {
    await app.close();
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`cuenta schema: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
