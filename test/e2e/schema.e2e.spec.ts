import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runNode } from '../support/server.js';

describe('docs/schema.graphql', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('is the schema the server serves (regenerate with npm run schema)', async () => {
    const { code, stdout, stderr } = await runNode('dist/apps/api/src/schema.js', ['--check'], {
      DATABASE_URL: database.url,
    });
    expect(stderr.trim()).toBe('');
    expect(stdout.trim()).toBe('docs/schema.graphql is up to date');
    expect(code).toBe(0);
  });
});
