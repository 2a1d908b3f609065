import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { boundaries, INFRASTRUCTURE } from './eslint/boundaries.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cuenta/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    // The ledger runs in browsers too and must stay free of Nest, TypeORM, pg and Node-only I/O.
    files: ['libs/ledger/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', 'node:fs', 'node:fs/*', 'fs'] },
            // '#ledger-crypto' is the one alias allowed: it resolves to node:crypto on Node and
            // to @noble in browsers (package.json "imports"). A regex, because in the
            // gitignore syntax of `group` a leading '#' starts a comment.
            {
              regex: '^#(?!ledger-crypto$)',
              message: 'libs/ledger must not import other contexts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Library boundaries (eslint/boundaries.js; proven by test/lint/boundaries.unit.spec.ts).
    plugins: { boundaries },
  },
  {
    // A library reaches another only through its index alias, never a relative path into it.
    files: ['libs/**/*.ts'],
    rules: { 'boundaries/import-through-index': 'error' },
  },
  {
    // Infrastructure (ledger, kernel, event-store, platform, transparency) imports no context.
    files: INFRASTRUCTURE.map((name) => `libs/${name}/**/*.ts`),
    rules: {
      'boundaries/no-context-in-infrastructure': 'error',
      'boundaries/dependency-order': 'error',
    },
  },
  {
    // Domain code is pure: no framework, driver or Node built-in.
    files: ['**/domain/**/*.ts'],
    rules: { 'boundaries/pure-domain': 'error' },
  },
  {
    // So is the kernel every domain builds on.
    files: ['libs/kernel/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'boundaries/pure-domain': 'error' },
  },
  {
    // Production code imports no test support (test/ folders).
    files: ['apps/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'boundaries/no-test-support-in-production': 'error' },
  },
);
