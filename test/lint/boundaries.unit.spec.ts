import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

// The boundary rules of eslint.config.js (eslint/boundaries.js), run with the project's own
// configuration on code planted at virtual paths: each rule must report the violation and
// leave the legal import alone. `notices` stands for any context: no rule names one.

const ROOT = path.resolve(import.meta.dirname, '../..');
let eslint: ESLint;

/** The boundary rules that `code` at `file` breaks, by rule id. */
async function broken(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages
    .map((message) => message.ruleId ?? `fatal: ${message.message}`)
    .filter((rule) => rule.startsWith('boundaries/') || rule.startsWith('fatal'));
}

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

describe('a library imports another only through its index', () => {
  const file = 'libs/notices/src/application/notice.handler.ts';

  it("reports a relative path into another context's internals", async () => {
    const code = "export { decide } from '../../../commitments/src/domain/commitment.decide.js';\n";
    expect(await broken(file, code)).toEqual(['boundaries/import-through-index']);
  });

  it('reports a relative path into an infrastructure library', async () => {
    const code =
      "import { ProjectionRunner } from '../../../platform/src/projections/projection-runner.js';\nexport { ProjectionRunner };\n";
    expect(await broken(file, code)).toEqual(['boundaries/import-through-index']);
  });

  it("accepts the other context's alias and the library's own files", async () => {
    const code =
      "import { commitmentsContext } from '#commitments';\n" +
      "import { decide } from '../domain/notice.decide.js';\n" +
      'export { commitmentsContext, decide };\n';
    expect(await broken(file, code)).toEqual([]);
  });
});

describe("a test reaches another library's test support by path", () => {
  it("accepts a spec importing another library's test/ folder", async () => {
    const code =
      "import { conformance } from '../../../event-store/test/conformance/event-store.conformance.js';\n" +
      'export { conformance };\n';
    expect(await broken('libs/transparency/src/log/log.int.spec.ts', code)).toEqual([]);
  });

  it("still reports a relative path into the other library's src/", async () => {
    const code = "export { prepareAppend } from '../../../event-store/src/prepare.js';\n";
    expect(await broken('libs/transparency/src/log/log.int.spec.ts', code)).toEqual([
      'boundaries/import-through-index',
    ]);
  });
});

describe('infrastructure imports only the libraries before it', () => {
  it.each([
    ['libs/event-store/src/graphql/live.resolver.ts', '#platform'],
    ['libs/event-store/src/postgres/store.ts', '#transparency'],
    ['libs/platform/src/projections/lease.ts', '#transparency'],
    ['libs/kernel/src/errors.ts', '#event-store'],
    ['libs/ledger/src/merkle/hash.ts', '#kernel'],
  ])('reports %s importing %s', async (file, alias) => {
    const code = `import { something } from '${alias}';\nexport { something };\n`;
    expect(await broken(file, code)).toContain('boundaries/dependency-order');
  });

  it('accepts the libraries before it', async () => {
    const code =
      "import { EVENT_STORE } from '#event-store';\n" +
      "import { DomainError } from '#kernel';\n" +
      "import { merkleRoot } from '#ledger';\n" +
      'export { DomainError, EVENT_STORE, merkleRoot };\n';
    expect(await broken('libs/platform/src/commands/handler.ts', code)).toEqual([]);
  });
});

describe('infrastructure imports no context', () => {
  it.each([
    ['libs/platform/src/projections/lease.ts', '#commitments'],
    ['libs/event-store/src/postgres/store.ts', '#notices'],
    ['libs/transparency/src/log.service.ts', '#commitments'],
    ['libs/kernel/src/errors.ts', '#notices'],
    ['libs/platform/src/contexts/contexts.ts', '#contexts'],
  ])('reports %s importing %s', async (file, alias) => {
    const code = `import { something } from '${alias}';\nexport { something };\n`;
    expect(await broken(file, code)).toEqual(['boundaries/no-context-in-infrastructure']);
  });

  it('accepts infrastructure aliases', async () => {
    const code =
      "import { EVENT_STORE } from '#event-store';\n" +
      "import { merkleRoot } from '#ledger';\n" +
      'export { EVENT_STORE, merkleRoot };\n';
    expect(await broken('libs/transparency/src/log.service.ts', code)).toEqual([]);
  });
});

describe('domain code imports no framework or Node built-in', () => {
  const file = 'libs/notices/src/domain/notice.decide.ts';

  it.each([
    "import { Injectable } from '@nestjs/common';",
    "import { Entity } from 'typeorm';",
    "import pg from 'pg';",
    "import { GraphQLError } from 'graphql';",
    "import { Subject } from 'rxjs';",
    "import { randomUUID } from 'node:crypto';",
    "import { readFileSync } from 'fs';",
  ])('reports %s', async (line) => {
    const code = `${line}\nexport const x = 1;\n`;
    expect(await broken(file, code)).toEqual(['boundaries/pure-domain']);
  });

  it('holds in the kernel too', async () => {
    const code = "import { randomUUID } from 'node:crypto';\nexport { randomUUID };\n";
    expect(await broken('libs/kernel/src/diff/state-diff.ts', code)).toEqual([
      'boundaries/pure-domain',
    ]);
  });

  it('accepts the kernel and its own files', async () => {
    const code =
      "import { DomainError } from '#kernel';\n" +
      "import { guard } from './notice.guards.js';\n" +
      'export { DomainError, guard };\n';
    expect(await broken(file, code)).toEqual([]);
  });
});

describe('production code imports no test support', () => {
  it.each([
    ['apps/api/src/app.module.ts', '../../../test/support/database.js'],
    ['libs/notices/src/application/notice.handler.ts', '../../test/notice.fixtures.js'],
    ['libs/platform/src/commands/handler.ts', '../../../../test/support/decider-spec.js'],
  ])('reports %s importing %s', async (file, source) => {
    const code = `import { helper } from '${source}';\nexport { helper };\n`;
    const rules = await broken(file, code);
    expect(rules).toContain('boundaries/no-test-support-in-production');
  });

  it('accepts test support in a spec file', async () => {
    const code =
      "import { createTestDatabase } from '../../../test/support/database.js';\nexport { createTestDatabase };\n";
    expect(await broken('apps/api/src/app.module.int.spec.ts', code)).toEqual([]);
  });

  it('accepts production imports', async () => {
    const code = "import { CONTEXTS } from '#contexts';\nexport { CONTEXTS };\n";
    expect(await broken('apps/api/src/app.module.ts', code)).toEqual([]);
  });
});
