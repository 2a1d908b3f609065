import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // Contexts build on the event store, never the reverse: what their GraphQL shares with the
    // log's (event models, live feeds) lives in libs/event-store and is imported from there.
    files: ['libs/event-store/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^#commitments$',
              message: 'libs/event-store must not import a context that depends on it.',
            },
          ],
        },
      ],
    },
  },
  {
    // Domain code is pure: no framework or database imports.
    files: ['libs/*/src/**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'pg', 'node:*'] }],
    },
  },
);
