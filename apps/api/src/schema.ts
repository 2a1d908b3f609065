import { writeFile } from 'node:fs/promises';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { loadConfig } from '#platform';
import { createApp, openDatabase } from './bootstrap.js';

/** The schema as the server serves it, in the form committed at docs/schema.graphql. */
export function printServedSchema(host: GraphQLSchemaHost): string {
  return printSchema(lexicographicSortSchema(host.schema)) + '\n';
}

/** `npm run schema`: regenerates docs/schema.graphql so API changes show up in review. */
async function main(): Promise<void> {
  const config = { ...loadConfig(), logLevel: 'error' as const };
  const database = await openDatabase(config);
  const app = await createApp(config, database.url);
  try {
    await app.init();
    await writeFile('docs/schema.graphql', printServedSchema(app.get(GraphQLSchemaHost)));
    console.log('wrote docs/schema.graphql');
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
