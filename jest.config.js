// Tiers by suffix (STYLE.md): *.unit.spec.ts (no I/O), *.int.spec.ts (real PostgreSQL),
// *.e2e.spec.ts (the built app over HTTP). One PostgreSQL serves the whole run; each test file
// gets a fresh database cloned from a migrated template (test/support/global-setup.js).
import { readFileSync } from 'node:fs';

// package.json "imports" point at the build (`#x` -> ./dist/<path>.js, or the "node" condition
// of a conditional one); tests run the sources, so each alias maps to <path>.ts. A new library
// or context needs its alias in package.json only.
const { imports } = JSON.parse(readFileSync('package.json', 'utf8'));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const aliases = Object.fromEntries(
  Object.entries(imports).map(([alias, target]) => {
    const built = typeof target === 'string' ? target : target.node;
    const source = built.replace(/^\.\/dist\//, '<rootDir>/').replace(/\.js$/, '.ts');
    return [`^${escape(alias)}$`, source];
  }),
);
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    ...aliases,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
