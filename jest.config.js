// Tiers by suffix (STYLE.md): *.unit.spec.ts (no I/O), *.int.spec.ts (real PostgreSQL),
// *.e2e.spec.ts (the built app over HTTP). One PostgreSQL serves the whole run; each test file
// gets a fresh database cloned from a migrated template (test/support/global-setup.js).
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
    '^#ledger-crypto$': '<rootDir>/libs/ledger/src/crypto/crypto.node.ts',
    '^#(ledger|kernel|event-store|platform|commitments)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
